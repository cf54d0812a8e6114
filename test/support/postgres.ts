import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { missingComponent } from './components.js';

const run = promisify(execFile);

export const POSTGRES_BIN = process.env.WHEELHOUSE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  const present = existsSync(join(POSTGRES_BIN, 'initdb')) && existsSync(join(POSTGRES_BIN, 'pg_ctl'));
  return missingComponent(`PostgreSQL 15 (${POSTGRES_BIN})`, 'apt-get install -y postgresql', present);
}

export interface PostgresCluster {
  /** Creates an empty database and returns its connection URL (loopback only). */
  createDatabase(label: string): Promise<string>;
  /** The URL of the maintenance database `postgres`. */
  adminUrl(): Promise<string>;
}

/**
 * A throwaway PostgreSQL cluster for the calling test file (or describe): initdb into a temp dir
 * owned by `postgres` (initdb refuses root), started on a free loopback port with its socket in
 * the same dir. It starts in beforeAll and is stopped and removed in afterAll, also when tests
 * fail (and, as a last resort, when the worker process exits).
 */
export function usePostgresCluster(): PostgresCluster {
  let started: Promise<{ dir: string; port: number }> | undefined;
  let counter = 0;

  const ensure = () => {
    started ??= startCluster();
    return started;
  };

  // Started before the tests so its start-up time never counts against a test's timeout.
  beforeAll(async () => {
    await ensure();
  });
  afterAll(async () => {
    if (!started) return;
    const cluster = await started.catch(() => undefined);
    if (cluster) await stopCluster(cluster.dir);
  });

  return {
    async adminUrl() {
      const { port } = await ensure();
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    async createDatabase(label) {
      const { port } = await ensure();
      counter += 1;
      const name = `${label
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 40)}_${counter}`;
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      await client.connect();
      try {
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}

const live = new Set<string>();
let exitHookInstalled = false;

async function startCluster(): Promise<{ dir: string; port: number }> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const dir = await mkdtemp(join(tmpdir(), 'wh-pg-'));
  live.add(dir);
  installExitHook();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  await asPostgres(asRoot, 'initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--locale=C',
    '-N',
  ]);
  let lastError: unknown;
  // A free port can be taken by someone else before the server binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c max_connections=200',
    ].join(' ');
    try {
      await asPostgres(asRoot, 'pg_ctl', [
        '-D',
        data,
        '-o',
        options,
        '-l',
        join(dir, 'server.log'),
        '-w',
        '-t',
        '120',
        'start',
      ]);
      return { dir, port };
    } catch (err) {
      lastError = err;
      const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
      if (!/address already in use|could not bind/i.test(log)) break;
    }
  }
  const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '(no server log)');
  await stopCluster(dir);
  throw new Error(`could not start a PostgreSQL test cluster: ${String(lastError)}\n${log.slice(-2000)}`);
}

async function stopCluster(dir: string): Promise<void> {
  const data = join(dir, 'data');
  if (existsSync(join(data, 'postmaster.pid'))) {
    await asPostgres(process.getuid?.() === 0, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(
      () => {},
    );
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  live.delete(dir);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const dir of live) {
      const args = [join(POSTGRES_BIN, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'immediate', 'stop'];
      const [cmd, ...rest] = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
      if (cmd) spawnSync(cmd, rest, { stdio: 'ignore', timeout: 30_000 });
    }
  });
}

/** Runs a PostgreSQL tool as the `postgres` user when we are root (initdb and pg_ctl refuse root). */
async function asPostgres(asRoot: boolean, tool: string, args: string[]): Promise<void> {
  const binary = join(POSTGRES_BIN, tool);
  if (asRoot)
    await run('runuser', ['-u', 'postgres', '--', binary, ...args], { timeout: 180_000, cwd: tmpdir() });
  else await run(binary, args, { timeout: 180_000, cwd: tmpdir() });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no `postgres` system user');
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
