import { describe, expect, it } from 'vitest';
import { KUBE_CONTEXT, kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';

/**
 * The test control plane itself: real etcd, kube-apiserver, kube-controller-manager and
 * kube-scheduler built from the pinned Go modules, with kwok playing the kubelets.
 */
describe.skipIf(kubeMissing !== undefined)('a real Kubernetes control plane with kwok nodes', () => {
  const cluster = useControlPlane({ nodes: 2 });

  it('hands out a kubeconfig whose one context reaches the pinned API server as admin', async () => {
    const { kubectl, server } = cluster();
    expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const context = await kubectl(['config', 'current-context']);
    expect(context.stdout.trim()).toBe(KUBE_CONTEXT);
    const version = await kubectl(['version', '-o', 'json']);
    expect(version.code, version.stderr).toBe(0);
    expect(JSON.parse(version.stdout)).toMatchObject({ serverVersion: { gitVersion: 'v1.37.2' } });
    const canI = await kubectl(['auth', 'can-i', '*', '*', '--all-namespaces']);
    expect(canI.stdout.trim()).toBe('yes');
  });

  it('rolls a Deployment of 2 replicas out to Running Pods on the kwok nodes', async () => {
    const { kubectl, nodes } = cluster();
    const applied = await kubectl(['apply', '-f', '-'], DEPLOYMENT);
    expect(applied.code, applied.stderr).toBe(0);

    const available = await kubectl([
      'wait',
      '--for=condition=Available',
      'deployment/web',
      '--namespace=default',
      '--timeout=150s',
    ]);
    expect(available.code, available.stderr).toBe(0);

    const listed = await kubectl([
      'get',
      'pods',
      '--namespace=default',
      '--selector=app=web',
      '--output=json',
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    const pods = (JSON.parse(listed.stdout) as PodList).items;
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.status.phase).toBe('Running');
      expect(nodes).toContain(pod.spec.nodeName);
      expect(pod.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      );
    }
  }, 180_000);

  it('creates a Namespace and deletes it (the namespace controller finalizes it)', async () => {
    const { kubectl } = cluster();
    const created = await kubectl(['create', 'namespace', 'scratch']);
    expect(created.code, created.stderr).toBe(0);
    const phase = await kubectl(['get', 'namespace', 'scratch', '--output=jsonpath={.status.phase}']);
    expect(phase.stdout).toBe('Active');

    const deleted = await kubectl(['delete', 'namespace', 'scratch', '--wait=true', '--timeout=150s']);
    expect(deleted.code, deleted.stderr).toBe(0);
    const gone = await kubectl(['get', 'namespace', 'scratch']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
  }, 180_000);
});

interface PodList {
  items: {
    spec: { nodeName?: string };
    status: { phase?: string; conditions?: { type: string; status: string }[] };
  }[];
}

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.invalid/web:1.0
          ports:
            - containerPort: 8080
`;
