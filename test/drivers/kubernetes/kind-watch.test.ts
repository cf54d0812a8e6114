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
 * server ends it, and lists again when the server answers 410 Gone for a version it no longer
 * has: the control plane runs without a watch cache, so watches read etcd, and compacting etcd
 makes the version a watch resumes from too old, as after a long disconnect.
 */
describe.skipIf(kubeMissing !== undefined)('kubernetes kind watch', () => {
  const plane = useControlPlane({ watchCache: false });
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

  it('lists again on 410 Gone and reports what the list finds changed', async () => {
    await apply('two', '1');
    await waitFor('the second ConfigMap to be seen', () => changes.includes('added two'));
    const listed = watch.listed;
    // The cache now misses `two` and holds `ghost`, which the cluster never had: no watch event
    // can set that right, only a list.
    watch.forget('default', 'two');
    watch.remember({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ghost', namespace: 'default', resourceVersion: '1' },
    });
    changes.length = 0;
    // Two writes the watch does not select, then compaction: the version the watch resumes from
    // (its last event's) is gone, and the server answers 410 Gone.
    for (const name of ['other-1', 'other-2']) {
      await plane().kubectl(['create', 'configmap', name, '--namespace', 'default']);
    }
    await plane().compact();
    await waitFor('the kind to be listed again', () => watch.listed > listed, { timeoutMs: 20_000 });
    await waitFor('the relist to report the differences', () =>
      ['deleted ghost', 'added two'].every((c) => changes.includes(c)),
    );
    expect(watch.objects.has('default/ghost')).toBe(false);
    expect(watch.objects.get('default/two')?.data).toEqual({ v: '1' });
    await apply('two', '2');
    await waitFor('a change after the relist to be seen', () => changes.includes('changed two'));
  });
});
