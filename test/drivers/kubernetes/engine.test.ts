import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WheelhouseEvent } from '../../../src/core/index.js';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { engineOn, startHarness } from '../../support/engine-harness.js';
import { type ControlPlane, kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { config, deployment, SHOP_PASSWORD, shopFiles, widget } from './app-fixture.js';

/** The GitOps loop end to end on a real control plane: real git, the real engine, the kubernetes driver. */
const tmp = tempDirs();

interface Meta {
  metadata: { uid: string; resourceVersion: string; name: string };
}

async function kubectlJson<T>(plane: ControlPlane, args: string[]): Promise<T> {
  const out = await plane.kubectl([...args, '-o', 'json']);
  if (out.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${out.stderr}`);
  return JSON.parse(out.stdout) as T;
}

describe.skipIf(kubeMissing !== undefined)('kubernetes driver through the engine', () => {
  const plane = useControlPlane();
  let h: Awaited<ReturnType<typeof startHarness>>;
  let closed = false;
  const newDriver = async () =>
    createKubernetesDriver({
      target: 'prod',
      options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test', namespace: 'shop' },
      stateDir: await tmp('state'),
      log: silentLogger,
      env: { SHOP_PASSWORD },
    });

  beforeAll(async () => {
    h = await startHarness(tmp, {
      files: shopFiles(plane().kubeconfig),
      driver: await newDriver(),
      driverName: 'kubernetes',
      kinds: [],
    });
  }, 180_000);

  afterAll(async () => {
    if (!closed) await h?.close();
  });

  const lastSync = async () => (await h.engine.history('shop'))[0];

  it('converges a realistic app Healthy', async () => {
    const status = h.engine.status('shop');
    const [first] = await h.engine.history('shop');
    expect(first?.messages).toEqual(expect.any(Array));
    expect(first?.result, JSON.stringify(first?.messages)).toBe('succeeded');
    expect(status).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
    const deploy = await kubectlJson<{ status: { readyReplicas?: number } }>(plane(), [
      '-n',
      'shop',
      'get',
      'deployment',
      'web',
    ]);
    expect(deploy.status.readyReplicas).toBe(3);
    const secret = await kubectlJson<{ data: Record<string, string> }>(plane(), [
      '-n',
      'shop',
      'get',
      'secret',
      'web-secret',
    ]);
    expect(Buffer.from(secret.data.PASSWORD ?? '', 'base64').toString()).toBe(SHOP_PASSWORD);
    const widget = await kubectlJson<{ spec: { size: number } }>(plane(), [
      '-n',
      'shop',
      'get',
      'widget',
      'gizmo',
    ]);
    expect(widget.spec.size).toBe(3);
  });

  it('rolls out an image tag change: Progressing, then Healthy', async () => {
    const seen: WheelhouseEvent[] = [];
    const off = h.engine.events.subscribe((e) => seen.push(e));
    try {
      await h.commit({ 'apps/shop/deployment.yaml': deployment('nginx:1.28') }, 'nginx 1.28');
      await h.refresh('shop');
    } finally {
      off();
    }
    const sync = await lastSync();
    expect(sync?.result, JSON.stringify(sync?.messages)).toBe('succeeded');
    expect(sync?.changeSet.filter((c) => c.action !== 'unchanged').map((c) => c.name)).toEqual(['web']);
    const progressing = seen.some((e) => e.type === 'sync.progress' && /web.*Progressing/.test(e.message));
    expect(progressing, 'a Progressing step was reported while the rollout ran').toBe(true);
    expect(h.engine.status('shop').health.status).toBe('Healthy');
    const deploy = await kubectlJson<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      plane(),
      ['-n', 'shop', 'get', 'deployment', 'web'],
    );
    expect(deploy.spec.template.spec.containers[0]?.image).toBe('nginx:1.28');
  });

  it('brings back a Deployment deleted with kubectl', async () => {
    const before = await kubectlJson<Meta>(plane(), ['-n', 'shop', 'get', 'deployment', 'web']);
    const deleted = await plane().kubectl(['-n', 'shop', 'delete', 'deployment', 'web', '--wait=false']);
    expect(deleted.code, deleted.stderr).toBe(0);
    await waitFor(
      'the Deployment to be created again',
      async () => {
        const now = await kubectlJson<Meta>(plane(), ['-n', 'shop', 'get', 'deployment', 'web']);
        return now.metadata.uid !== before.metadata.uid;
      },
      { timeoutMs: 60_000 },
    );
    await waitFor('the app to be Synced and Healthy', () => {
      const s = h.engine.status('shop');
      return s.syncStatus === 'Synced' && s.health.status === 'Healthy';
    });
  });

  it('reverts replicas edited with kubectl (selfHeal)', async () => {
    const scaled = await plane().kubectl(['-n', 'shop', 'scale', 'deployment', 'web', '--replicas=5']);
    expect(scaled.code, scaled.stderr).toBe(0);
    await waitFor(
      'replicas back at 3',
      async () => {
        const now = await kubectlJson<{ spec: { replicas: number } }>(plane(), [
          '-n',
          'shop',
          'get',
          'deployment',
          'web',
        ]);
        return now.spec.replicas === 3;
      },
      { timeoutMs: 60_000 },
    );
  });

  it('shows replicas edited with kubectl as OutOfSync when selfHeal is off', async () => {
    await h.commit(
      {
        'wheelhouse.yaml': config(plane().kubeconfig).replace(
          'environment: prod\n',
          'environment: prod\n    sync: { selfHeal: false }\n',
        ),
      },
      'no self-heal',
    );
    await h.refresh('shop');
    const patched = await plane().kubectl([
      '-n',
      'shop',
      'patch',
      'deployment',
      'web',
      '-p',
      '{"spec":{"replicas":2}}',
    ]);
    expect(patched.code, patched.stderr).toBe(0);
    await waitFor('the app to be OutOfSync', () => h.engine.status('shop').syncStatus === 'OutOfSync', {
      timeoutMs: 60_000,
    });
    const diff = await h.engine.diff('shop');
    const web = diff.changes.find((c) => c.key === 'prod/Deployment.apps/shop/web');
    expect(web?.fields).toContainEqual(
      expect.objectContaining({ path: 'spec.spec.replicas', live: 2, desired: 3 }),
    );
    const now = await kubectlJson<{ spec: { replicas: number } }>(plane(), [
      '-n',
      'shop',
      'get',
      'deployment',
      'web',
    ]);
    expect(now.spec.replicas).toBe(2);
    // Back to self-heal for the next scenarios.
    await h.commit({ 'wheelhouse.yaml': config(plane().kubeconfig) }, 'self-heal again');
    await h.refresh('shop');
    await waitFor('the app to be Synced again', () => h.engine.status('shop').syncStatus === 'Synced', {
      timeoutMs: 60_000,
    });
  });

  it('prunes a manifest removed from Git and nothing else', async () => {
    const byHand = `apiVersion: v1
kind: ConfigMap
metadata:
  name: by-hand
  namespace: shop
  labels: { app.kubernetes.io/managed-by: wheelhouse, wheelhouse/app: shop, wheelhouse/target: prod }
data: { a: b }
`;
    const created = await plane().kubectl(['apply', '-f', '-'], byHand);
    expect(created.code, created.stderr).toBe(0);
    await h.commit({ 'apps/shop/widget.yaml': null }, 'no widget');
    await h.refresh('shop');
    const sync = await lastSync();
    expect(sync?.result, JSON.stringify(sync?.messages)).toBe('succeeded');
    expect(sync?.changeSet.filter((c) => c.action === 'deleted').map((c) => c.key)).toEqual([
      'prod/Widget.example.com/shop/gizmo',
    ]);
    await waitFor('the Widget to be gone', async () => {
      const out = await plane().kubectl(['-n', 'shop', 'get', 'widget', 'gizmo']);
      return out.code !== 0 && /NotFound/.test(out.stderr);
    });
    const kept = await plane().kubectl(['-n', 'shop', 'get', 'configmap', 'by-hand']);
    expect(kept.code, kept.stderr).toBe(0);
    const crd = await plane().kubectl(['get', 'crd', 'widgets.example.com']);
    expect(crd.code, crd.stderr).toBe(0);
  });

  it('fails the sync of an invalid object with the server message and the file', async () => {
    await h.commit({ 'apps/shop/widget.yaml': widget(0) }, 'a widget of size 0');
    await h.refresh('shop');
    const sync = await lastSync();
    expect(sync?.result).toBe('failed');
    const text = sync?.messages.join('\n') ?? '';
    expect(text).toMatch(/apps\/shop\/widget\.yaml/);
    expect(text).toMatch(/spec\.size/);
    expect(text).toMatch(/greater than or equal to 1/);
    expect(text).not.toContain(SHOP_PASSWORD);
    // Back to the last good tree: nothing left to apply, the app is Synced again.
    await h.commit({ 'apps/shop/widget.yaml': null }, 'no widget again');
    await h.refresh('shop');
    await waitFor('Synced again', () => h.engine.status('shop').syncStatus === 'Synced');
  });

  it('turns Degraded with the reason when a rollout cannot progress', async () => {
    const stuck = deployment('nginx:1.28', 3, '')
      .replace(
        '    spec:\n      containers:',
        '    spec:\n      nodeSelector: { wheelhouse-test/no-such-node: "true" }\n      containers:',
      )
      .replace('  replicas: 3\n', '  replicas: 3\n  progressDeadlineSeconds: 2\n');
    await h.commit({ 'apps/shop/deployment.yaml': stuck }, 'pods nobody can schedule');
    await h.refresh('shop');
    const sync = await lastSync();
    expect(sync?.result).toBe('failed');
    expect(sync?.messages.join('\n')).toMatch(/Degraded.*ProgressDeadlineExceeded|ProgressDeadlineExceeded/);
    expect(h.engine.status('shop').health).toMatchObject({ status: 'Degraded' });
    await h.commit({ 'apps/shop/deployment.yaml': deployment('nginx:1.28') }, 'schedulable again');
    await h.refresh('shop');
    await waitFor('Healthy again', () => h.engine.status('shop').health.status === 'Healthy', {
      timeoutMs: 60_000,
    });
  });

  it('changes nothing in the cluster when Wheelhouse restarts', async () => {
    await waitFor('Synced and Healthy', () => {
      const s = h.engine.status('shop');
      return s.syncStatus === 'Synced' && s.health.status === 'Healthy' && !s.operation;
    });
    const versions = async () =>
      (
        await kubectlJson<{ items: Meta[] }>(plane(), [
          'get',
          'namespace,configmap,secret,deployment,service,ingress,crd',
          '-A',
          '-l',
          'app.kubernetes.io/managed-by=wheelhouse',
        ])
      ).items
        .map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`)
        .sort();
    const before = await versions();
    const historyBefore = (await h.engine.history('shop')).length;
    await h.close();
    closed = true;
    const again = await engineOn(h.repoDir, h.dataDir, {
      driver: await newDriver(),
      driverName: 'kubernetes',
      kinds: [],
    });
    try {
      await again.refresh('shop');
      expect(again.engine.status('shop')).toMatchObject({
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
      });
      expect(await versions()).toEqual(before);
      expect((await again.engine.history('shop')).length).toBe(historyBefore);
    } finally {
      await again.close();
    }
  });
});
