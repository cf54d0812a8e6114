import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { KubeClient, loadKubeConfig } from '../../../src/drivers/kubernetes/client.js';
import { Discovery } from '../../../src/drivers/kubernetes/discovery.js';
import { KindWatch } from '../../../src/drivers/kubernetes/kind-watch.js';
import type { KubeObject } from '../../../src/drivers/kubernetes/kube-object.js';
import { parseKubeOptions } from '../../../src/drivers/kubernetes/options.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * One kind's watch against a real API server: it resumes from its resourceVersion each time the
 * server ends it. (The relist on 410 Gone needs the server to have compacted that version away,
 * which a fresh test cluster does not do within a test.)
 */
describe.skipIf(kubeMissing !== undefined)('kubernetes kind watch', () => {
  const plane = useControlPlane();
  const changes: string[] = [];
  let watch: KindWatch;

  beforeAll(async () => {
    const options = parseKubeOptions('t', { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test' });
    const client = new KubeClient(loadKubeConfig('t', options, {}));
    const mapping = await new Discovery(client).resolve('v1', 'ConfigMap');
    if (!mapping) throw new Error('no ConfigMap kind');
    // The server ends each watch after 1s, so the watch resumes over and over during the test.
    watch = new KindWatch(
      client,
      mapping,
      'watched=yes',
      (before: KubeObject | undefined, after: KubeObject | undefined) =>
        changes.push(
          `${after ? (before ? 'changed' : 'added') : 'deleted'} ${(after ?? before)?.metadata.name}`,
        ),
      silentLogger,
      1,
    );
    await watch.start();
  }, 60_000);

  afterAll(() => watch?.stop());

  const apply = (name: string, value: string) =>
    plane().kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: default, labels: { watched: "yes" } }\ndata: { v: "${value}" }\n`,
    );

  it('sees changes across the watches the server ends', async () => {
    await apply('one', '1');
    await waitFor('the ConfigMap to be seen', () => changes.includes('added one'));
    await waitFor('the watch to be resumed twice', () => watch.resumed >= 2, { timeoutMs: 20_000 });
    await apply('one', '2');
    await waitFor('the change to be seen', () => changes.includes('changed one'));
    expect(watch.objects.get('default/one')?.data).toEqual({ v: '2' });
    expect(watch.listed).toBe(1);
  });
});
