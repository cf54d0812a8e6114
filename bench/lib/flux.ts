import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeCacheRoot } from '../../test/support/kube/binaries.js';
import { kubeDataFile } from '../../test/support/kube/data-file.js';
import { type ServerProcess, startServer } from '../../test/support/kube/server-process.js';
import { freePort } from '../../test/support/ports.js';

/** Flux's controllers as pinned in flux-versions.json (built only for the bench, cached). */
interface Component {
  version: string;
  requires: string;
  binaries: Record<string, string>;
}

const versionsUrl = kubeDataFile('flux-versions.json');
const components = JSON.parse(readFileSync(versionsUrl, 'utf8')) as Record<string, Component>;

export const fluxVersions = Object.fromEntries(
  Object.entries(components).map(([name, c]) => [name.replace(/^flux-/, ''), c.version]),
);

function binaryOf(name: string): string {
  const component = components[`flux-${name}`];
  if (!component) throw new Error(`flux-versions.json has no flux-${name}`);
  return join(kubeCacheRoot, `flux-${name}-${component.version}`, name);
}

/**
 * Builds source-controller and kustomize-controller from their Go modules when they are not in
 * the cache yet (test/support/kube/build.mjs; cold: several minutes on 2 cores).
 */
export function ensureFluxBuilt(log: (message: string) => void): void {
  const missing = ['source-controller', 'kustomize-controller'].filter((b) => !existsSync(binaryOf(b)));
  if (missing.length === 0) return;
  log(`building ${missing.join(', ')} from their Go modules (cached afterwards) ...`);
  const script = fileURLToPath(kubeDataFile('build.mjs'));
  const result = spawnSync(process.execPath, [script, '--versions=flux-versions.json'], { stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(
      `building Flux's controllers failed (exit ${result.status ?? result.signal}); run node test/support/kube/build.mjs --versions=flux-versions.json to see why`,
    );
  }
}

/** The CRD files of both controllers, as their Go modules ship them (config/crd/bases). */
export function fluxCrdDirs(): string[] {
  const gomodcache =
    process.env.GOMODCACHE ||
    spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim() ||
    join(process.env.HOME ?? '/root', 'go', 'pkg', 'mod');
  return Object.values(components).map((c) =>
    join(gomodcache, `${c.requires}@${c.version}`, 'config', 'crd', 'bases'),
  );
}

export interface FluxControllers {
  /** The peak resident set of each controller so far (VmHWM), MiB. */
  peakRssMiB(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * Runs source-controller and kustomize-controller as local processes against the cluster of
 * `kubeconfig`, all namespaces watched, no leader election, everything on 127.0.0.1, with their
 * shipped defaults otherwise (source-controller --concurrent=2, kustomize-controller 4).
 */
export async function startFlux(kubeconfig: string, dir: string): Promise<FluxControllers> {
  const logDir = join(dir, 'logs');
  const storage = join(dir, 'storage');
  await Promise.all([
    mkdir(logDir, { recursive: true }),
    mkdir(storage, { recursive: true }),
    mkdir(join(dir, 'home'), { recursive: true }),
  ]);
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    RUNTIME_NAMESPACE: 'flux-system',
    HOME: join(dir, 'home'),
  };
  const servers: ServerProcess[] = [];
  const common = async () => {
    const [metrics, health] = [await freePort(), await freePort()];
    return {
      health,
      args: [
        `--metrics-addr=127.0.0.1:${metrics}`,
        `--health-addr=127.0.0.1:${health}`,
        '--enable-leader-election=false',
        '--watch-all-namespaces=true',
        '--log-level=error',
      ],
    };
  };
  const stop = async () => {
    for (const server of servers.reverse()) await server.stop();
  };
  try {
    const storagePort = await freePort();
    const source = await common();
    servers.push(
      startServer(
        'source-controller',
        binaryOf('source-controller'),
        [
          ...source.args,
          `--storage-path=${storage}`,
          `--storage-addr=127.0.0.1:${storagePort}`,
          `--storage-adv-addr=127.0.0.1:${storagePort}`,
        ],
        { logDir, env },
      ),
    );
    const kustomize = await common();
    servers.push(
      startServer('kustomize-controller', binaryOf('kustomize-controller'), kustomize.args, { logDir, env }),
    );
    for (const [server, port] of [
      [servers[0], source.health],
      [servers[1], kustomize.health],
    ] as const) {
      await waitReady(server, port);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    async peakRssMiB() {
      const out: Record<string, number> = {};
      for (const server of servers) {
        const status = await readFile(`/proc/${server.pid}/status`, 'utf8').catch(() => '');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
        out[server.name] = kb / 1024;
      }
      return out;
    },
    stop,
  };
}

async function waitReady(server: ServerProcess | undefined, port: number): Promise<void> {
  if (!server) throw new Error('a Flux controller did not start');
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    const exited = server.exitStatus();
    if (exited || Date.now() > deadline) {
      throw new Error(
        `${server.name} ${exited ?? 'did not get ready within 120 s'}:\n${await server.tail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
