import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { procStatFields } from '../../src/util/index.js';
import { missingComponent } from './components.js';

// A throwaway PostgreSQL server, without test-runner hooks: test files use it through
// usePostgresCluster (postgres.ts); the bench starts one directly.

const run = promisify(execFile);

export const POSTGRES_BIN = process.env.WHEELHOUSE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  const present = existsSync(join(POSTGRES_BIN, 'initdb')) && existsSync(join(POSTGRES_BIN, 'pg_ctl'));
  return missingComponent(`PostgreSQL 15 (${POSTGRES_BIN})`, 'apt-get install -y postgresql', present);
}

/** Creates an empty database on the server at `port` and returns its loopback URL. */
export async function createDatabaseOn(port: number, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return `postgres://postgres@127.0.0.1:${port}/${name}`;
}

const live = new Set<string>();
let exitHookInstalled = false;

export async function startCluster(): Promise<{ dir: string; port: number }> {
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

export async function stopCluster(dir: string): Promise<void> {
  const data = join(dir, 'data');
  if (existsSync(join(data, 'postmaster.pid'))) {
    await asPostgres(process.getuid?.() === 0, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(
      () => {},
    );
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  live.delete(dir);
}

/** Stops the server of a running test cluster at once (as a crash would), keeping its data. */
export async function haltServer(dir: string): Promise<void> {
  await asPostgres(process.getuid?.() === 0, 'pg_ctl', [
    '-D',
    join(dir, 'data'),
    '-m',
    'immediate',
    '-w',
    'stop',
  ]);
}

/**
 * Stops (SIGSTOP) or continues (SIGCONT) the server and every process it started: a database
 * that stops answering without closing a connection, as behind a frozen host or a network cut.
 */
export async function signalServer(dir: string, signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
  const postmaster = Number((await readFile(join(dir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  if (!Number.isInteger(postmaster) || postmaster <= 0)
    throw new Error(`no postmaster pid in ${join(dir, 'data', 'postmaster.pid')}`);
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(procStatFields(Number(entry))?.[1]); // field 4
    if (ppid === postmaster) children.push(Number(entry));
  }
  // Stopped parent first, continued parent last: it forks no new backend in between.
  const order = signal === 'SIGSTOP' ? [postmaster, ...children] : [...children, postmaster];
  for (const pid of order) {
    try {
      process.kill(pid, signal);
    } catch {
      // a backend that exited meanwhile
    }
  }
}

/** Starts a halted test cluster again on the port it had (`restart` reuses the last options). */
export async function resumeServer(dir: string): Promise<void> {
  await asPostgres(process.getuid?.() === 0, 'pg_ctl', [
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '120',
    'restart',
  ]);
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
