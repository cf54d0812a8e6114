import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { startHarness } from '../../support/engine-harness.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

/** PreSync hooks and ignoreDifferences on a real control plane. */
const tmp = tempDirs();

const config = (kubeconfig: string) => `targets:
  prod: { driver: kubernetes, kubeconfig: "${kubeconfig}", context: wheelhouse-test, namespace: batch }
apps:
  - name: batch
    path: apps/batch
    target: prod
    ignoreDifferences:
      - { group: apps, kind: Deployment, name: worker, jsonPointers: [/spec/replicas] }
`;

const files = (version: string) => ({
  'apps/batch/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: batch }\n',
  'apps/batch/migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: { wheelhouse/hook: PreSync }
spec:
  template:
    metadata: { labels: { job: migrate } }
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: "migrate:${version}" }]
`,
  'apps/batch/worker.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: worker }
spec:
  replicas: 2
  selector: { matchLabels: { app: worker } }
  template:
    metadata: { labels: { app: worker } }
    spec:
      containers: [{ name: worker, image: "worker:${version}" }]
`,
});

describe.skipIf(kubeMissing !== undefined)('kubernetes hooks and ignoreDifferences', () => {
  const plane = useControlPlane();
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    const driver = createKubernetesDriver({
      target: 'prod',
      options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test' },
      stateDir: await tmp('state'),
      log: silentLogger,
      env: {},
    });
    h = await startHarness(tmp, {
      files: { 'wheelhouse.yaml': config(plane().kubeconfig), ...files('1') },
      driver,
      driverName: 'kubernetes',
      kinds: [],
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('runs a PreSync Job to completion before the others, and again for a new commit', async () => {
    const [first] = await h.engine.history('batch');
    expect(first?.result, JSON.stringify(first?.messages)).toBe('succeeded');
    const job = await plane().kubectl(['-n', 'batch', 'get', 'job', 'migrate', '-o', 'json']);
    const parsed = JSON.parse(job.stdout) as { metadata: { uid: string }; status: { succeeded?: number } };
    expect(parsed.status.succeeded).toBe(1);
    await h.commit(files('2'), 'version 2');
    await h.refresh('batch');
    const [second] = await h.engine.history('batch');
    expect(second?.result, JSON.stringify(second?.messages)).toBe('succeeded');
    const again = JSON.parse(
      (await plane().kubectl(['-n', 'batch', 'get', 'job', 'migrate', '-o', 'json'])).stdout,
    ) as {
      metadata: { uid: string };
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(again.metadata.uid).not.toBe(parsed.metadata.uid);
    expect(again.spec.template.spec.containers[0]?.image).toBe('migrate:2');
  });

  it('leaves fields named by ignoreDifferences to whoever owns them', async () => {
    const deploy = JSON.parse(
      (await plane().kubectl(['-n', 'batch', 'get', 'deployment', 'worker', '-o', 'json'])).stdout,
    ) as {
      spec: { replicas: number };
    };
    expect(deploy.spec.replicas).toBe(1); // the field is not applied: the API server's default
    const scaled = await plane().kubectl(['-n', 'batch', 'scale', 'deployment', 'worker', '--replicas=4']);
    expect(scaled.code, scaled.stderr).toBe(0);
    await waitFor('the Deployment to report 4 replicas', async () => {
      const now = JSON.parse(
        (await plane().kubectl(['-n', 'batch', 'get', 'deployment', 'worker', '-o', 'json'])).stdout,
      ) as {
        status: { readyReplicas?: number };
      };
      return now.status.readyReplicas === 4;
    });
    await h.refresh('batch');
    expect(h.engine.status('batch').syncStatus).toBe('Synced');
    const history = await h.engine.history('batch');
    expect(history).toHaveLength(2);
  });

  it('applies the field again once ignoreDifferences no longer names it', async () => {
    const without = config(plane().kubeconfig).replace(/ {4}ignoreDifferences:\n.*\n/, '');
    expect(without).not.toContain('ignoreDifferences');
    await h.commit({ 'wheelhouse.yaml': without }, 'replicas from Git again');
    await h.refresh('batch');
    await waitFor('replicas back to what Git says', async () => {
      const now = JSON.parse(
        (await plane().kubectl(['-n', 'batch', 'get', 'deployment', 'worker', '-o', 'json'])).stdout,
      ) as { spec: { replicas: number } };
      return now.spec.replicas === 2;
    });
    await waitFor('Synced', () => h.engine.status('batch').syncStatus === 'Synced');
  });
});
