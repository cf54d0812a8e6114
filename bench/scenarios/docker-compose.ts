import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { silentLogger } from '../../src/core/index.js';
import { createDockerDriver } from '../../src/drivers/docker/index.js';
import { createKindRegistry, driverNames } from '../../src/drivers/index.js';
import { createEngine } from '../../src/engine/index.js';
import { composeRenderer } from '../../src/render/compose/index.js';
import { renderers } from '../../src/render/index.js';
import { createGitSource } from '../../src/source/git/index.js';
import { openStore } from '../../src/store/index.js';
import { onPath, type PodmanHost, startPodman } from '../lib/podman.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { round } from '../lib/stats.js';

const run = promisify(execFile);
const SERVICES = 10;

/**
 * Ten busybox web servers, each answering with its $VERSION on a port published on 127.0.0.1.
 * (Bridge networking: podman-compose 1.0 cannot run `network_mode: host` services.)
 */
function composeFile(image: string, basePort: number, versions: readonly string[]): string {
  const services = versions.map(
    (version, i) => `  web${i}:
    image: ${image}
    ports: ["127.0.0.1:${basePort + i}:8080"]
    command: ["sh", "-c", "mkdir -p /tmp/www && echo \\"$$VERSION\\" > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"]
    environment:
      VERSION: "${version}"
    stop_signal: SIGKILL
    stop_grace_period: 1s
`,
  );
  return `services:\n${services.join('')}`;
}

async function answers(basePort: number, versions: readonly string[]): Promise<boolean> {
  const got = await Promise.all(
    versions.map(async (_, i) => {
      try {
        const response = await fetch(`http://127.0.0.1:${basePort + i}/`, {
          signal: AbortSignal.timeout(5_000),
        });
        return (await response.text()).trim();
      } catch {
        return undefined;
      }
    }),
  );
  return got.every((text, i) => text === versions[i]);
}

/** Poll until every service answers with its version (both tools return before that can be true). */
async function until(basePort: number, versions: readonly string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(basePort, versions))) {
    if (Date.now() > deadline) throw new Error('services did not answer with the expected versions');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * Issue 8's comparison: the same Compose file of 10 services (busybox httpd), converged by
 * Wheelhouse (engine + docker driver over Podman's API) and by `podman-compose up -d`, cold, as a
 * no-op pass and after a one-service change. Each step counts until every service answers with
 * the expected version.
 */
export const dockerCompose: Scenario = {
  name: 'docker-compose',
  description: `${SERVICES}-service Compose file: Wheelhouse vs podman-compose (cold, no-op, one-service change)`,
  async run(context) {
    if (!renderers.includes(composeRenderer)) {
      throw new Error('the compose renderer is not registered in src/render/renderers.ts');
    }
    const missing = ['podman', 'runc', 'busybox', 'podman-compose'].filter((b) => !onPath(b));
    if (missing.length > 0)
      throw new Error(
        `needs ${missing.join(', ')} (apt-get install -y podman runc busybox-static podman-compose)`,
      );
    const { host: podman, stop } = await startPodman();
    try {
      const basePort = 21_000 + Math.floor(Math.random() * 20_000);
      const wheelhouse = await runWheelhouse(context.tmp, context.log, podman, basePort);
      await podman.reset();
      const compose = await runPodmanCompose(context.tmp, context.log, podman, basePort);
      await podman.reset();
      const rows: BenchRow[] = [];
      for (const step of ['cold', 'noop', 'change'] as const) {
        const label = { cold: 'cold converge', noop: 'no-op pass', change: 'one-service change' }[step];
        rows.push({
          metric: `${label}: Wheelhouse / podman-compose`,
          value: round(wheelhouse[step] / compose[step], 2),
          unit: 'ratio',
          target: step === 'cold' ? '' : '< 1 (faster)',
          detail: {
            Wheelhouse: `${round(wheelhouse[step])} ms`,
            'podman-compose up -d': `${round(compose[step])} ms`,
          },
        });
      }
      return rows;
    } finally {
      await stop();
    }
  },
};

type Steps = Record<'cold' | 'noop' | 'change', number> & { note?: string };

async function runWheelhouse(
  tmp: (label: string) => Promise<string>,
  log: (message: string) => void,
  podman: PodmanHost,
  basePort: number,
): Promise<Steps> {
  const repo = await tmp('compose-repo');
  const data = await tmp('compose-data');
  const git = (...args: string[]) => run('git', args, { cwd: repo });
  const versions = Array.from({ length: SERVICES }, () => 'v1');
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.email', 'bench@example.test');
  await git('config', 'user.name', 'Bench');
  await mkdir(join(repo, 'apps/shop'), { recursive: true });
  await writeFile(
    join(repo, 'wheelhouse.yaml'),
    `targets:\n  box: { driver: docker, host: "${podman.host}" }\napps:\n  - name: shop\n    path: apps/shop\n    target: box\n`,
  );
  await writeFile(join(repo, 'apps/shop/compose.yaml'), composeFile(podman.image, basePort, versions));
  await git('add', '-A');
  await git('commit', '--quiet', '-m', 'ten services');

  const store = await openStore(`sqlite:${join(data, 'wheelhouse.db')}`);
  const source = createGitSource({ dataDir: data, log: silentLogger });
  const engine = createEngine(
    {
      store,
      source,
      kinds: createKindRegistry(),
      drivers: driverNames(),
      createDriver: (target) =>
        createDockerDriver({
          target: target.name,
          options: target.options,
          stateDir: join(data, 'targets', target.name),
          log: silentLogger,
          env: process.env,
        }),
      log: silentLogger,
      controlRepo: { url: repo, ref: 'main' },
    },
    { controlIntervalMs: 3_600_000 },
  );
  try {
    const cold = await timed(async () => {
      await engine.start();
      await engine.settled();
      await until(basePort, versions);
    });
    log(`Wheelhouse cold converge ${round(cold)} ms (${engine.status('shop').syncStatus})`);
    const noop = await timed(async () => {
      await engine.refresh('shop');
      await engine.settled();
    });
    versions[3] = 'v2';
    await writeFile(join(repo, 'apps/shop/compose.yaml'), composeFile(podman.image, basePort, versions));
    await git('commit', '--quiet', '-am', 'web3 v2');
    const change = await timed(async () => {
      await engine.refresh('shop');
      await engine.settled();
      await until(basePort, versions);
    });
    const [last] = await engine.history('shop');
    log(
      `Wheelhouse change: ${last?.changeSet
        .filter((c) => c.action !== 'unchanged')
        .map((c) => c.name)
        .join(', ')}`,
    );
    return { cold, noop, change };
  } finally {
    await engine.stop();
    await source.close();
    await store.close();
  }
}

async function runPodmanCompose(
  tmp: (label: string) => Promise<string>,
  log: (message: string) => void,
  podman: PodmanHost,
  basePort: number,
): Promise<Steps> {
  const dir = await tmp('podman-compose');
  const versions = Array.from({ length: SERVICES }, () => 'v1');
  const file = join(dir, 'compose.yaml');
  await writeFile(file, composeFile(podman.image, basePort, versions));
  const up = async (...extra: string[]) => {
    const args = [
      '--no-ansi',
      '-p',
      'pcshop',
      '-f',
      file,
      '--podman-args',
      podman.cli.args.join(' '),
      'up',
      '-d',
    ];
    const result = await run('podman-compose', [...args, ...extra], {
      cwd: dir,
      env: { ...process.env, ...podman.cli.env },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => err);
    const failures = `${result.stdout ?? ''}`.match(/exit code: [1-9]\d*/g)?.length ?? 0;
    log(`podman-compose up -d ${extra.join(' ')}: ${failures} podman command(s) failed along the way`);
  };
  const cold = await timed(async () => {
    await up();
    await until(basePort, versions);
  });
  log(`podman-compose cold ${round(cold)} ms`);
  const noop = await timed(async () => {
    await up();
    await until(basePort, versions);
  });
  versions[3] = 'v2';
  await writeFile(file, composeFile(podman.image, basePort, versions));
  let forced = false;
  let change = await timed(async () => {
    await up();
    await until(basePort, versions, 20_000).catch(() => {
      forced = true;
    });
  });
  if (forced) {
    log('podman-compose up -d did not apply the change; measuring up -d --force-recreate instead');
    change = await timed(async () => {
      await up('--force-recreate');
      await until(basePort, versions);
    });
  }
  return { cold, noop, change, ...(forced ? { note: 'the change needed up -d --force-recreate' } : {}) };
}
