import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { ApplyContext, DesiredResource, Driver, Logger } from '../../../src/core/index.js';
import { createProcessDriver, processDriverKinds } from '../../../src/drivers/process/index.js';
import { readProcStat } from '../../../src/drivers/process/proc-stat.js';
import { freePort } from '../../support/ports.js';
import { waitFor } from '../../support/wait-for.js';

/** The placeholder manifests use; each replica sees its own index there. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder users write in manifests
export const REPLICA = '${WHEELHOUSE_REPLICA}';

/** Short intervals so tests converge quickly; behaviour is the same as with the defaults. */
export const fastOptions = {
  pollIntervalMs: 100,
  backoffInitialMs: 200,
  backoffMaxMs: 1600,
  minUptimeMs: 300,
  startupProbeIntervalMs: 100,
  followIntervalMs: 50,
};

/** A logger that keeps every line (message plus bound fields) for assertions. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const write =
      (level: string) =>
      (objOrMsg: Record<string, unknown> | string, msg?: string): void => {
        const fields = typeof objOrMsg === 'string' ? {} : objOrMsg;
        const text = typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '');
        lines.push(`${level} ${text} ${JSON.stringify({ ...bindings, ...fields })}`);
      };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return { log: make({}), lines };
}

export interface DriverSetup {
  stateDir: string;
  options?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  log?: Logger;
  now?: () => Date;
  /** What the engine knows to be secret (SOPS values); see sealed-values.ts. */
  secretValues?: () => ReadonlySet<string>;
}

/**
 * Creates process drivers for a test file and tears every one down (all workloads stopped) when
 * the file ends, also on failure.
 */
export function processDrivers(): (setup: DriverSetup) => Driver {
  const made: Driver[] = [];
  afterAll(async () => {
    for (const driver of made.reverse()) {
      await driver.teardown?.().catch(() => {});
      await driver.stop().catch(() => {});
    }
  });
  return (setup) => {
    const driver = createProcessDriver({
      target: 'local',
      options: { ...fastOptions, ...setup.options },
      stateDir: setup.stateDir,
      log: setup.log ?? capturingLogger().log,
      env: setup.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
      ...(setup.now ? { now: setup.now } : {}),
      ...(setup.secretValues ? { secretValues: setup.secretValues } : {}),
    });
    made.push(driver);
    return driver;
  };
}

/** A desired resource as the renderer would hand it over (spec parsed by the kind). */
export function desired(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  app = 'shop',
): DesiredResource {
  const definition = processDriverKinds.find((k) => k.kind === kind);
  if (!definition) throw new Error(`unknown kind ${kind}`);
  const parsed = definition.parse(spec);
  if (!parsed.ok) throw new Error(`invalid ${kind} spec: ${JSON.stringify(parsed.issues)}`);
  const hook = definition.hook?.(parsed.value);
  return {
    apiVersion: 'wheelhouse/v1',
    kind,
    metadata: { name },
    spec: parsed.value,
    key: `local/${kind}/${app}/${name}`,
    app,
    target: 'local',
    namespace: app,
    wave: 0,
    ...(hook ? { hook } : {}),
  };
}

export interface TestContext {
  ctx: ApplyContext;
  progress: string[];
  abort: AbortController;
}

export function applyContext(
  checkout: string,
  options: { app?: string; revision?: string; digest?: string } = {},
): TestContext {
  const progress: string[] = [];
  const abort = new AbortController();
  const ctx: ApplyContext = {
    app: options.app ?? 'shop',
    revision: options.revision ?? 'a'.repeat(40),
    digest: options.digest ?? 'd'.repeat(40),
    checkout: async () => checkout,
    signal: abort.signal,
    progress: (message) => progress.push(message),
    log: capturingLogger().log,
  };
  return { ctx, progress, abort };
}

/** Whether a pid is a live (non-zombie) process. */
export function alive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return (await res.json()) as T;
}

/** Replica facts from `observe().status.replicas`. */
export interface ReplicaStatus {
  index: number;
  pid: number | null;
  running: boolean;
  restarts: number;
  health: string;
  lastExit?: string;
  lastBackoffMs?: number;
}

export async function replicasOf(driver: Driver, key: string, app = 'shop'): Promise<ReplicaStatus[]> {
  const live = (await driver.observe(app)).find((r) => r.key === key);
  return (live?.status?.replicas as ReplicaStatus[] | undefined) ?? [];
}

/**
 * Writes the small programs the tests run (with `process.execPath`) into `dir`:
 * - `server.cjs`: HTTP on 127.0.0.1:$PORT with /healthz, /info, /say?text=, /crash?code=;
 *   `UNHEALTHY=1` fails /healthz, `CRASH_AT_START=msg` prints msg and exits 1,
 *   `IGNORE_SIGTERM=1` ignores SIGTERM; it prints `token=$API_TOKEN` when that is set.
 * - `ticker.cjs`: prints `line N` plus padding every $TICK_MS ms.
 */
export async function writePrograms(dir: string): Promise<void> {
  await writeFile(join(dir, 'server.cjs'), SERVER);
  await writeFile(join(dir, 'ticker.cjs'), TICKER);
}

const SERVER = `
const http = require('node:http');
const crypto = require('node:crypto');
const env = process.env;
if (env.CRASH_AT_START) {
  console.log('starting up');
  console.error(env.CRASH_AT_START);
  process.exit(1);
}
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');
console.log('listening replica=' + env.WHEELHOUSE_REPLICA + ' version=' + (env.VERSION || ''));
if (env.API_TOKEN) console.log('token=' + env.API_TOKEN);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(env.UNHEALTHY ? 500 : 200);
    res.end(env.UNHEALTHY ? 'unhealthy' : 'ok');
  } else if (url.pathname === '/info') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      pid: process.pid,
      replica: env.WHEELHOUSE_REPLICA,
      version: env.VERSION,
      greeting: env.GREETING,
      secretSha: env.API_TOKEN ? sha(env.API_TOKEN) : null,
      cwd: process.cwd(),
      envNames: Object.keys(env).sort(),
    }));
  } else if (url.pathname === '/say') {
    console.log(url.searchParams.get('text'));
    res.end('ok');
  } else if (url.pathname === '/crash') {
    res.end('bye');
    console.error('crashing on request');
    setTimeout(() => process.exit(Number(url.searchParams.get('code') || 3)), 10);
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.listen(Number(env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  if (env.IGNORE_SIGTERM) {
    console.log('got SIGTERM, ignoring it');
    return;
  }
  console.log('got SIGTERM');
  process.exit(0);
});
process.on('SIGINT', () => {
  console.log('got SIGINT');
  process.exit(0);
});
`;

const TICKER = `
let n = 0;
const pad = '.'.repeat(Number(process.env.PAD || 0));
setInterval(() => {
  n++;
  console.log('line ' + n + ' ' + pad);
}, Number(process.env.TICK_MS || 20));
`;

/** Waits until the driver logging to `lines` (capturingLogger) has finished `n` more supervisor passes. */
export async function supervisorPasses(lines: readonly string[], n: number): Promise<void> {
  const done = () => lines.filter((line) => line.includes('supervisor pass done')).length;
  const goal = done() + n;
  await waitFor(`${n} supervisor passes`, () => done() >= goal);
}

/** What most Process tests start from: a checkout with the test programs, a started driver, a port. */
export interface ServerSetup {
  checkout: string;
  stateDir: string;
  driver: Driver;
  /** A free loopback port for `server.cjs` (see `serverProcess`). */
  port: number;
}

/**
 * Writes the test programs into a new checkout (or its `programsIn` subdirectory), starts a
 * driver on a new state dir and picks a free port.
 */
export async function serverSetup(
  makeDriver: (setup: DriverSetup) => Driver,
  tmp: (label?: string) => Promise<string>,
  setup: Omit<DriverSetup, 'stateDir'> & { programsIn?: string } = {},
): Promise<ServerSetup> {
  const { programsIn, ...driverSetup } = setup;
  const checkout = await tmp('checkout');
  const programs = programsIn ? join(checkout, programsIn) : checkout;
  await mkdir(programs, { recursive: true });
  await writePrograms(programs);
  const stateDir = await tmp('state');
  const driver = makeDriver({ ...driverSetup, stateDir });
  await driver.start();
  return { checkout, stateDir, driver, port: await freePort() };
}

/** The `server.cjs` Process `web` on `port`, checked by tcp unless `spec` says otherwise. */
export function serverProcess(port: number, spec: Record<string, unknown> = {}): DesiredResource {
  const { env, ...rest } = spec;
  return desired('Process', 'web', {
    command: [process.execPath, 'server.cjs'],
    health: { tcp: { port } },
    ...rest,
    env: { PORT: String(port), ...(env as Record<string, string> | undefined) },
  });
}
