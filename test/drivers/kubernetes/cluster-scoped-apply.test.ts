import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../../src/core/index.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { waitFor } from '../../support/wait-for.js';
import { applyAll, applyContext, exampleCrd, renderManifests, startKubeDriver } from './driver-fixture.js';

/**
 * A cluster-scoped custom resource whose CRD another app installs: rendering cannot know its scope
 * (it takes it as namespaced, in the target's namespace), so the driver asks the API server's
 * discovery. Applied, observed, healed and pruned as a cluster-scoped object.
 */
const crd = exampleCrd('Widget', 'widgets', 'Cluster');

const widget = `apiVersion: example.com/v1
kind: Widget
metadata: { name: big }
spec: { size: 3 }
`;

describe.skipIf(kubeMissing !== undefined)(
  'kubernetes driver: a cluster-scoped custom resource from another app',
  () => {
    const plane = useControlPlane();
    let driver: Driver;

    beforeAll(async () => {
      driver = await startKubeDriver(plane().kubeconfig, 'prod', 'shop');
      await plane().kubectl(['create', 'namespace', 'shop']);
      await applyAll(driver, renderManifests('crds', 'prod', 'shop', { 'crd.yaml': crd }));
    });
    afterAll(async () => {
      await driver?.stop();
    });

    it('is applied without a namespace, observed, healed after a delete, and pruned', async () => {
      const [desired] = renderManifests('gadgets', 'prod', 'shop', { 'widget.yaml': widget });
      if (!desired) throw new Error('nothing rendered');
      await applyAll(driver, [desired]);

      const got = await plane().kubectl(['get', 'widgets.example.com', 'big', '-o', 'json']);
      expect(got.code, got.stderr).toBe(0);
      const object = JSON.parse(got.stdout) as { metadata: { namespace?: string }; spec: { size: number } };
      expect(object.metadata.namespace).toBeUndefined();
      expect(object.spec.size).toBe(3);

      const live = await waitFor('the widget to be observed', async () => {
        const [found] = await driver.observe('gadgets');
        return found?.health.status === 'Missing' ? undefined : found;
      });
      expect(live.key).toBe(desired.key);
      expect(live.spec).toMatchObject({ spec: { size: 3 } });

      // Deleted by hand: observe leaves it out (the engine re-applies), and an apply brings it back.
      await plane().kubectl(['delete', 'widgets.example.com', 'big', '--wait=true']);
      await waitFor('the delete to be seen', async () =>
        (await driver.observe('gadgets')).length === 0 ? true : undefined,
      );
      await applyAll(driver, [desired]);
      await waitFor('the widget to be back', async () =>
        (await driver.observe('gadgets')).length === 1 ? true : undefined,
      );

      // Pruned: removing what observe returned deletes the cluster-scoped object (foreground
      // deletion: the garbage collector finishes it once its discovery, every 30 s, knows the kind).
      const [again] = await driver.observe('gadgets');
      if (!again) throw new Error('not observed');
      await driver.beginSync?.('gadgets');
      await driver.remove(again, applyContext('gadgets', 'd2'));
      await driver.endSync?.('gadgets');
      await waitFor(
        'the widget to be gone',
        async () => {
          const after = await plane().kubectl(['get', 'widgets.example.com', 'big']);
          return after.code !== 0 ? after.stderr : undefined;
        },
        { timeoutMs: 120_000 },
      );
      expect(await driver.observe('gadgets')).toEqual([]);
    });
  },
);
