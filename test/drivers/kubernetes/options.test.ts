import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../../src/drivers/kubernetes/client.js';
import { parseKubeOptions } from '../../../src/drivers/kubernetes/options.js';
import { tempDirs } from '../../support/tmp.js';

const tmp = tempDirs();

describe('kubernetes target options', () => {
  it('fills defaults and keeps what is given', () => {
    expect(parseKubeOptions('prod', { kubeconfig: '/k', context: 'c', namespace: 'shop' })).toEqual({
      kubeconfig: '/k',
      context: 'c',
      namespace: 'shop',
      inventoryNamespace: 'wheelhouse-system',
      waitSeconds: 120,
    });
  });

  it('lists every bad field with its path', () => {
    expect(() => parseKubeOptions('prod', { namespace: 'Not_OK', kubeconfg: '/k' })).toThrow(
      /kubernetes target "prod" in wheelhouse.yaml is invalid[\s\S]*targets\.prod\.namespace: must be a namespace name[\s\S]*kubeconfg/,
    );
    expect(() => parseKubeOptions('prod', { context: 'c' })).toThrow(/a context needs a kubeconfig/);
  });

  it('uses the service account in a cluster, and says what is missing outside one', async () => {
    const options = parseKubeOptions('prod', {});
    const dir = await tmp('serviceaccount');
    const inPod = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    expect(() => loadKubeConfig('prod', options, { ...inPod, WHEELHOUSE_SERVICE_ACCOUNT_DIR: dir })).toThrow(
      `${dir}/token and ${dir}/ca.crt do not exist: set automountServiceAccountToken: true`,
    );
    await writeFile(join(dir, 'token'), 'token');
    await writeFile(join(dir, 'ca.crt'), 'ca');
    const kc = loadKubeConfig('prod', options, { ...inPod, WHEELHOUSE_SERVICE_ACCOUNT_DIR: dir });
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://10.0.0.1:443', caFile: `${dir}/ca.crt` });
    expect(kc.getCurrentUser()?.authProvider).toMatchObject({
      name: 'tokenFile',
      config: { tokenFile: `${dir}/token` },
    });
    expect(() => loadKubeConfig('prod', options, {})).toThrow(
      /no kubeconfig and Wheelhouse is not running in a cluster/,
    );
  });
});
