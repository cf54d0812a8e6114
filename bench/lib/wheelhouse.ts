import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Running, startWheelhouse } from '../../src/cli/up/start.js';
import { teardownTargets } from '../../src/cli/up/targets.js';
import { silentLogger } from '../../src/core/index.js';
import { runGit } from '../../src/source/git/index.js';
import type { BenchContext } from './scenario.js';

const identity = {
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@wheelhouse.invalid',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@wheelhouse.invalid',
};

/** A working repository on `main` holding `files`; returns a function that commits more. */
export async function benchRepo(
  dir: string,
  files: Record<string, string>,
): Promise<(changes: Record<string, string>, message: string) => Promise<string>> {
  const git = async (...args: string[]) => (await runGit(args, { cwd: dir, env: identity })).stdout.trim();
  const commit = async (changes: Record<string, string>, message: string) => {
    for (const [path, content] of Object.entries(changes)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    await git('add', '--all');
    await git('commit', '--quiet', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  await mkdir(dir, { recursive: true });
  await git('init', '--quiet', '--initial-branch=main');
  await commit(files, 'initial');
  return commit;
}

/** `wheelhouse up` in this process, with the HTTP server on a free loopback port. */
export function startBenchWheelhouse(repo: string, dataDir: string): Promise<Running> {
  return startWheelhouse({
    repo,
    ref: 'main',
    dataDir,
    cwd: repo,
    log: silentLogger,
    http: { host: '127.0.0.1', port: 0 },
  });
}

/** Stops Wheelhouse and every workload it started (`wheelhouse down`). */
export async function stopBenchWheelhouse(running: Running, dataDir: string): Promise<void> {
  await running.stop();
  await teardownTargets(dataDir, silentLogger);
}

/** A settled Wheelhouse serving a bench repo: its HTTP address, an admin token, how long it took. */
export interface ServedRepo {
  running: Running;
  url: string;
  token: string;
  /** Start until every app settled. */
  loadMs: number;
}

/**
 * Commits `files` to a fresh repo, starts Wheelhouse on it with its HTTP server, waits until it
 * settled, hands it to `use`, and stops it and its workloads afterwards (also on failure).
 */
export async function withServedRepo<T>(
  context: Pick<BenchContext, 'tmp'>,
  files: Record<string, string>,
  use: (served: ServedRepo) => Promise<T>,
): Promise<T> {
  const repo = await context.tmp('control');
  const data = await context.tmp('data');
  await benchRepo(repo, files);
  const started = performance.now();
  const running = await startBenchWheelhouse(repo, data);
  try {
    const server = running.server;
    if (!server) throw new Error('the HTTP server did not start');
    await running.engine.settled();
    const loadMs = performance.now() - started;
    const token = (await readFile(server.adminTokenFile, 'utf8')).trim();
    return await use({ running, url: server.url, token, loadMs });
  } finally {
    await stopBenchWheelhouse(running, data);
  }
}
