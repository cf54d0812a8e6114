import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBE_CONTEXT, kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { waitUntilReady } from '../../support/kube/readiness.js';
import { startServer } from '../../support/kube/server-process.js';
import { tempDirs } from '../../support/tmp.js';

const tmp = tempDirs();

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

  // Last: stop() is idempotent, so the afterAll that stops it again is a no-op.
  it('stops every server and removes its files on stop()', async () => {
    const { stop, server, kubeconfig } = cluster();
    await stop();
    expect(existsSync(dirname(kubeconfig))).toBe(false);
    const port = Number(new URL(server).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('control plane support: a server that dies while starting', () => {
  it('fails the start with the tail of its log', async () => {
    const logDir = await tmp('kube-broken');
    const script = 'echo "starting"; echo "Error: unknown flag: --nope" >&2; exit 3';
    const broken = startServer('broken-server', '/bin/sh', ['-c', script], { logDir });
    const error = await waitUntilReady(broken, [broken], async () => false).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /broken-server exited with code 3 while waiting for broken-server ready/,
    );
    expect((error as Error).message).toContain('Error: unknown flag: --nope');
  });
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
