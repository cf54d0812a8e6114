import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { onPath } from '../../../bench/lib/podman.js';
import { missingComponent } from '../components.js';
import { freePort } from '../ports.js';
import {
  KUBE_BUILD_COMMAND,
  type KubeBinary,
  kubeBinary,
  kubeCacheRoot,
  kubeVersions,
  missingKubeBinaries,
} from './binaries.js';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  KWOK_NODE_ANNOTATION,
  kwokArgs,
  schedulerArgs,
} from './flags.js';
import { httpsRequest, type TlsFiles } from './https-request.js';
import { writeKubeconfig } from './kubeconfig.js';
import { createPki } from './pki.js';
import { waitUntilReady } from './readiness.js';
import { forgetDirOnExit, removeDirOnExit, type ServerProcess, startServer } from './server-process.js';

export { KUBE_CONTEXT } from './kubeconfig.js';

/** A real Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler) with kwok Nodes. */
export interface ControlPlane {
  /** Path of a kubeconfig file with one context (name `wheelhouse-test`), cluster + admin user. */
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** Runs kubectl with --kubeconfig set; never throws on non-zero exit. */
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Names of the fake (kwok) nodes. */
  nodes: string[];
  /**
   * Compacts etcd up to its current revision, as the API server does every few minutes: watches
   * resuming from an older resourceVersion then get 410 Gone.
   */
  compact(): Promise<void>;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** How many kwok Nodes (default 1). */
  nodes?: number;
  /**
   * false: the API server keeps no watch cache, so watches read etcd directly and a resourceVersion
   * that `compact()` removed gets 410 Gone (the cache would answer it from memory instead).
   */
  watchCache?: boolean;
}

/**
 * Why the control plane cannot run here, or undefined when it can: the binaries are built by
 * `node test/support/kube/build.mjs` (cached by version), openssl signs the certificates.
 * In CI a missing piece fails the run instead (see missingComponent).
 */
export const kubeMissing: string | undefined = (() => {
  const binaries = missingKubeBinaries();
  return (
    missingComponent(
      `Kubernetes test binaries (${Object.entries(kubeVersions)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ')}) in ${kubeCacheRoot}`,
      `${KUBE_BUILD_COMMAND} (Go and the Go module proxy; about 13 minutes cold on 2 cores, cached afterwards)`,
      binaries.length === 0,
    ) ?? missingComponent('openssl', 'apt-get install -y openssl', onPath('openssl'))
  );
})();

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on free loopback
 * ports under a fresh temp dir, with a generated CA and certificates, and resolves once the API is
 * ready, the `default` ServiceAccount exists, the scheduler is healthy and every kwok Node is Ready.
 * On a start failure everything started is stopped and the error carries the failing server's log
 * tail. stop() stops the servers (process groups) and removes the temp dir; so does the process
 * exiting without stop().
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  // Ports are picked free and then bound by the servers; a test file starting something else at
  // that moment can take one first. That is the only failure worth another attempt.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (attempt === 3 || !/address already in use/.test(String(err))) throw err;
    }
  }
}

async function startOnce(options: ControlPlaneOptions): Promise<ControlPlane> {
  const nodeCount = options.nodes ?? 1;
  const dir = await mkdtemp(join(tmpdir(), 'wh-kube-'));
  removeDirOnExit(dir);
  const servers: ServerProcess[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      for (const server of [...servers].reverse()) await server.stop();
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      forgetDirOnExit(dir);
    })();
    return stopped;
  };

  try {
    const pkiDir = join(dir, 'pki');
    const logDir = join(dir, 'logs');
    await Promise.all([mkdir(pkiDir), mkdir(logDir)]);
    const start = (binary: KubeBinary, args: string[], env?: NodeJS.ProcessEnv) => {
      const server = startServer(binary, kubeBinary(binary), args, { logDir, ...(env ? { env } : {}) });
      servers.push(server);
      return server;
    };
    const [pki, etcdClient, etcdPeer, securePort, schedulerPort] = await Promise.all([
      createPki(pkiDir),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const server = `https://127.0.0.1:${securePort}`;
    const admin: TlsFiles = { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key };
    const api = (path: string, request: { method?: string; body?: unknown } = {}) =>
      httpsRequest(`${server}${path}`, admin, request);

    const etcd = start('etcd', etcdArgs(dir, { client: etcdClient, peer: etcdPeer }));
    await waitUntilReady(etcd, servers, async () => {
      const res = await fetch(`http://127.0.0.1:${etcdClient}/health`);
      return res.ok && ((await res.json()) as { health?: string }).health === 'true';
    });

    const apiserver = start('kube-apiserver', [
      ...apiserverArgs(dir, pki, { secure: securePort, etcd: etcdClient }),
      ...(options.watchCache === false ? ['--watch-cache=false'] : []),
    ]);
    await waitUntilReady(apiserver, servers, async () => (await api('/readyz')).status === 200);

    const kubeconfig = join(dir, 'admin.kubeconfig');
    const cmKubeconfig = join(dir, 'controller-manager.kubeconfig');
    const schedulerKubeconfig = join(dir, 'scheduler.kubeconfig');
    await Promise.all([
      writeKubeconfig(kubeconfig, { server, caCert: pki.ca.cert, client: pki.admin }),
      writeKubeconfig(cmKubeconfig, { server, caCert: pki.ca.cert, client: pki.controllerManager }),
      writeKubeconfig(schedulerKubeconfig, { server, caCert: pki.ca.cert, client: pki.scheduler }),
    ]);

    const controllerManager = start('kube-controller-manager', controllerManagerArgs(pki, cmKubeconfig));
    const scheduler = start('kube-scheduler', schedulerArgs(dir, schedulerKubeconfig, schedulerPort));
    // kwok reads ~/.kwok/kwok.yaml when it exists: give it a home of its own.
    const kwokHome = join(dir, 'kwok-home');
    await mkdir(kwokHome);
    const kwok = start('kwok', kwokArgs(kubeconfig), { ...process.env, HOME: kwokHome });

    const nodes = Array.from({ length: nodeCount }, (_, i) => `kwok-node-${i}`);
    for (const name of nodes) {
      const created = await api('/api/v1/nodes', { method: 'POST', body: nodeManifest(name) });
      if (created.status !== 201)
        throw new Error(`creating Node ${name} failed (${created.status}): ${created.body}`);
    }

    await Promise.all([
      waitUntilReady(scheduler, servers, async () => {
        const res = await httpsRequest(`https://127.0.0.1:${schedulerPort}/readyz`, {});
        return res.status === 200;
      }),
      waitUntilReady(
        controllerManager,
        servers,
        async () => (await api('/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
        'the default ServiceAccount in namespace default',
      ),
      waitUntilReady(
        kwok,
        servers,
        async () => {
          const res = await api('/api/v1/nodes');
          if (res.status !== 200) return false;
          const list = JSON.parse(res.body) as NodeList;
          return nodes.every((name) =>
            list.items.some((node) => node.metadata.name === name && isReady(node)),
          );
        },
        `kwok Nodes Ready (${nodes.join(', ')})`,
      ),
    ]);

    const cacheDir = join(dir, 'kubectl-cache');
    return {
      kubeconfig,
      server,
      nodes,
      compact: () => compactEtcd(`http://127.0.0.1:${etcdClient}`),
      kubectl: (args, input) =>
        runKubectl(['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], input),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** etcd's v3 JSON gateway: read the current revision, then compact everything before it. */
async function compactEtcd(etcd: string): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${etcd}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${path} failed (${res.status}): ${await res.text()}`);
    return (await res.json()) as { header?: { revision?: string } };
  };
  // A range over one key answers with the store's current revision in its header.
  const { header } = await post('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
  if (!header?.revision) throw new Error('etcd did not report its revision');
  await post('/v3/kv/compaction', { revision: header.revision, physical: true });
}

/**
 * vitest: starts a control plane for the calling test file or describe (beforeAll) and stops it
 * (afterAll, also when tests fail). Returns a getter, valid inside tests and later hooks.
 */
export function useControlPlane(options: ControlPlaneOptions = {}): () => ControlPlane {
  let plane: ControlPlane | undefined;
  beforeAll(async () => {
    plane = await startControlPlane(options);
  }, 5 * 60_000);
  afterAll(async () => {
    await plane?.stop();
  }, 60_000);
  return () => {
    if (!plane) throw new Error('the Kubernetes control plane did not start (see the beforeAll error)');
    return plane;
  };
}

interface NodeList {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

function isReady(node: NodeList['items'][number]): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** A Node kwok manages: no taints, so any Pod can land on it; kwok fills in its status. */
function nodeManifest(name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
      },
    },
  };
}

function runKubectl(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubeBinary('kubectl'), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (err) => reject(new Error(`could not run kubectl: ${err.message}`, { cause: err })));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
