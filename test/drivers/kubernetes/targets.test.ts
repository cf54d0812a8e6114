import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DesiredResource,
  type Driver,
  type DriverEvent,
  silentLogger,
} from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { waitFor } from '../../support/wait-for.js';
import { applyContext as context } from './driver-fixture.js';

/**
 * The driver on its own, two targets on one cluster (as two clusters would be): each sees only its
 * own objects and events, and a fresh driver (Wheelhouse reinstalled, empty data dir) finds what
 * it applied through the inventory in the cluster, and prunes exactly that.
 */
const configMap = (target: string, app: string, name: string): DesiredResource => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: target },
  spec: { metadata: { labels: { tier: 'cfg' } }, data: { who: target } },
  key: `${target}/ConfigMap/${target}/${name}`,
  app,
  target,
  namespace: target,
  wave: 0,
});

describe.skipIf(kubeMissing !== undefined)('kubernetes driver: targets and inventory', () => {
  const plane = useControlPlane();
  const drivers: Driver[] = [];
  const events: Record<string, DriverEvent[]> = { a: [], b: [] };
  const driverFor = async (target: string) => {
    const driver = createKubernetesDriver({
      target,
      options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test', namespace: target },
      stateDir: '/nonexistent',
      log: silentLogger,
      env: {},
    });
    await driver.start();
    drivers.push(driver);
    return driver;
  };
  let a: Driver;
  let b: Driver;

  beforeAll(async () => {
    a = await driverFor('a');
    b = await driverFor('b');
    a.watch?.((e) => events.a?.push(e));
    b.watch?.((e) => events.b?.push(e));
  }, 60_000);

  afterAll(async () => {
    for (const d of drivers) await d.stop();
  });

  it('keeps two targets apart: objects, observe and events', async () => {
    await a.apply(configMap('a', 'x', 'cfg'), context('x'));
    await a.apply(configMap('a', 'x', 'other'), context('x'));
    await b.apply(configMap('b', 'y', 'cfg'), context('y'));
    expect((await a.observe('x')).map((r) => r.key)).toEqual(['a/ConfigMap/a/cfg', 'a/ConfigMap/a/other']);
    expect(await a.observe('y')).toEqual([]);
    expect((await b.observe('y')).map((r) => r.key)).toEqual(['b/ConfigMap/b/cfg']);
    const [live] = await b.observe('y');
    expect(live?.spec).toEqual({ metadata: { labels: { tier: 'cfg' } }, data: { who: 'b' } });
    const deleted = await plane().kubectl(['-n', 'a', 'delete', 'configmap', 'cfg']);
    expect(deleted.code, deleted.stderr).toBe(0);
    await waitFor('target a to hear of it', () => events.a?.some((e) => e.key === 'a/ConfigMap/a/cfg'));
    expect(events.b).toEqual([]);
    expect((await a.observe('x')).map((r) => r.key)).toEqual(['a/ConfigMap/a/other']);
  });

  it("previews a change as a server-side dry run, in the API server's canonical form", async () => {
    const limits: DesiredResource = {
      ...configMap('a', 'x', 'limits'),
      kind: 'LimitRange',
      key: 'a/LimitRange/a/limits',
      spec: { metadata: {}, spec: { limits: [{ type: 'Container', default: { cpu: '1000m' } }] } },
    };
    await a.apply(limits, context('x'));
    const changed = { ...configMap('a', 'x', 'other'), spec: { metadata: {}, data: { who: 'changed' } } };
    const preview = await a.preview?.('x', [limits, changed]);
    const spec = (key: string, side: 'desired' | 'live') =>
      preview?.[side].find((r) => r.key === key)?.spec as Record<string, unknown> | undefined;
    // 1000m comes back as 1 on both sides: no difference where the server sees none.
    expect(spec('a/LimitRange/a/limits', 'desired')).toEqual(spec('a/LimitRange/a/limits', 'live'));
    expect(JSON.stringify(spec('a/LimitRange/a/limits', 'desired'))).toContain('"cpu":"1"');
    expect(spec('a/ConfigMap/a/other', 'desired')).toMatchObject({ data: { who: 'changed' } });
    expect(spec('a/ConfigMap/a/other', 'live')).toMatchObject({ data: { who: 'a' } });
    // Nothing was applied.
    const live = await plane().kubectl([
      '-n',
      'a',
      'get',
      'configmap',
      'other',
      '-o',
      'jsonpath={.data.who}',
    ]);
    expect(live.stdout).toBe('a');
    const applied = (await a.observe('x')).find((r) => r.key === 'a/LimitRange/a/limits');
    if (!applied) throw new Error('the LimitRange is not observed');
    await a.remove(applied, context('x'));
  });

  it('refuses an object that belongs to another app of the target', async () => {
    await expect(a.apply(configMap('a', 'z', 'other'), context('z'))).rejects.toThrow(
      /ConfigMap a\/other already belongs to app x on target a; an object can belong to one app/,
    );
  });

  it('finds what it applied after a reinstall, and prunes only that', async () => {
    const fresh = await driverFor('a');
    const live = await fresh.observe('x');
    expect(live.map((r) => r.key)).toEqual(['a/ConfigMap/a/other']);
    const byHand = await plane().kubectl(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: by-hand, namespace: a, labels: { wheelhouse/app: x } }\n',
    );
    expect(byHand.code, byHand.stderr).toBe(0);
    const [other] = live;
    if (!other) throw new Error('no live resource');
    await fresh.remove(other, context('x'));
    expect(await fresh.observe('x')).toEqual([]);
    await waitFor('the pruned ConfigMap to be gone', async () => {
      const out = await plane().kubectl(['-n', 'a', 'get', 'configmap', 'other']);
      return out.code !== 0;
    });
    expect((await plane().kubectl(['-n', 'a', 'get', 'configmap', 'by-hand'])).code).toBe(0);
    expect((await plane().kubectl(['-n', 'b', 'get', 'configmap', 'cfg'])).code).toBe(0);
  });
});
