import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { KubeClient, loadKubeConfig } from '../../../src/drivers/kubernetes/client.js';
import { Discovery } from '../../../src/drivers/kubernetes/discovery.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { KindWatch } from '../../../src/drivers/kubernetes/kind-watch.js';
import { parseKubeOptions } from '../../../src/drivers/kubernetes/options.js';
import { startHarness } from '../../support/engine-harness.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * The inventory ConfigMap is written once per sync, whatever the number of resources applied or
 * pruned (the engine brackets a sync with the driver's beginSync/endSync): every write of it is a
 * new resourceVersion, seen here by a watch of its own.
 */
const tmp = tempDirs();
const INVENTORY = 'wheelhouse-system/wheelhouse-prod-cfg';

const wheelhouseYaml = (kubeconfig: string) => `targets:
  prod: { driver: kubernetes, kubeconfig: "${kubeconfig}", context: wheelhouse-test, namespace: cfg }
apps:
  - name: cfg
    path: apps/cfg
    target: prod
`;

const configMaps = (names: string[], value: string) =>
  names
    .map((name) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { v: "${value}" }\n`)
    .join('---\n');

describe.skipIf(kubeMissing !== undefined)('kubernetes driver: one inventory write per sync', () => {
  const plane = useControlPlane();
  const versions: string[] = [];
  let watch: KindWatch;
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    const options = parseKubeOptions('t', { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test' });
    const client = new KubeClient(loadKubeConfig('t', options, {}));
    const mapping = await new Discovery(client).resolve('v1', 'ConfigMap');
    if (!mapping) throw new Error('no ConfigMap kind');
    watch = new KindWatch(
      client,
      mapping,
      'wheelhouse/inventory-of=prod',
      (_before, after) => {
        if (after && `${after.metadata.namespace}/${after.metadata.name}` === INVENTORY)
          versions.push(after.metadata.resourceVersion ?? '');
      },
      silentLogger,
    );
    await watch.start();
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': wheelhouseYaml(plane().kubeconfig),
        'apps/cfg/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: cfg }\n',
        'apps/cfg/maps.yaml': configMaps(['a', 'b', 'c', 'd', 'e'], '1'),
      },
      driver: createKubernetesDriver({
        target: 'prod',
        options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test', namespace: 'cfg' },
        stateDir: await tmp('state'),
        log: silentLogger,
        env: {},
      }),
      driverName: 'kubernetes',
      kinds: [],
    });
  }, 180_000);

  afterAll(async () => {
    watch?.stop();
    await h?.close();
  });

  /** Waits until the watch has seen the inventory's current version, then returns every version seen. */
  const writesSeen = async () => {
    const now = await plane().kubectl([
      '-n',
      'wheelhouse-system',
      'get',
      'configmap',
      'wheelhouse-prod-cfg',
      '-o',
      'jsonpath={.metadata.resourceVersion}',
    ]);
    expect(now.code, now.stderr).toBe(0);
    await waitFor('the watch to see the inventory as it is', () => versions.includes(now.stdout));
    return versions.length;
  };

  const inventoryKeys = async () => {
    const out = await plane().kubectl([
      '-n',
      'wheelhouse-system',
      'get',
      'configmap',
      'wheelhouse-prod-cfg',
      '-o',
      'jsonpath={.data.entries\\.json}',
    ]);
    return (JSON.parse(out.stdout) as { key: string }[]).map((e) => e.key);
  };

  it('writes the inventory once for a first sync of six objects', async () => {
    const [first] = await h.engine.history('cfg');
    expect(first?.result, JSON.stringify(first?.messages)).toBe('succeeded');
    expect(await writesSeen()).toBe(1);
    expect(await inventoryKeys()).toEqual([
      'prod/ConfigMap/cfg/a',
      'prod/ConfigMap/cfg/b',
      'prod/ConfigMap/cfg/c',
      'prod/ConfigMap/cfg/d',
      'prod/ConfigMap/cfg/e',
      'prod/Namespace//cfg',
    ]);
  });

  it('writes it once more for a sync that changes three objects and prunes two', async () => {
    await h.commit({ 'apps/cfg/maps.yaml': configMaps(['a', 'b', 'c'], '2') }, 'three maps, new value');
    await h.refresh('cfg');
    const [last] = await h.engine.history('cfg');
    expect(last?.result, JSON.stringify(last?.messages)).toBe('succeeded');
    expect(last?.changeSet.filter((c) => c.action !== 'unchanged')).toHaveLength(5);
    expect(await writesSeen()).toBe(2);
    expect(await inventoryKeys()).toEqual([
      'prod/ConfigMap/cfg/a',
      'prod/ConfigMap/cfg/b',
      'prod/ConfigMap/cfg/c',
      'prod/Namespace//cfg',
    ]);
  });
});
