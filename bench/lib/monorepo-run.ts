import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { runGit } from '../../src/source/git/index.js';
import { procStatFields } from '../../src/util/index.js';
import { benchEngine } from './engine.js';
import { importHistory } from './fast-import.js';
import { trackPeakRss } from './stats.js';

export const MONOREPO_FILES = 10;

/** What one monorepo size measured; counts say how much work each step did, not only how long. */
export interface MonorepoFigures {
  apps: number;
  coldMs: number;
  /** The same files written by a bare loop just before, as the engine must (atomically). */
  floorMs: number;
  peakRssMiB: number;
  noopMs: number;
  oneAppMs: number;
  rerendered: number;
  /** CPU time of this process (not git's), git processes and SQLite statements per step. */
  counts: Record<'cold' | 'noop' | 'oneApp', StepCounts>;
}

export interface StepCounts {
  cpuMs: number;
  /** Of `cpuMs`, the kernel's share (creating files and directories is most of it). */
  systemMs: number;
  /** CPU of the git processes the engine ran (they share the machine's cores with it). */
  gitCpuMs: number;
  gitSpawns: number;
  sqlStatements: number;
  /** Transactions committed (each one an fsync with `synchronous=FULL`). */
  sqlCommits: number;
}

const pad = (apps: number) => String(apps - 1).length;

function manifests(app: string, version: number): string {
  return Array.from(
    { length: MONOREPO_FILES },
    (_, f) =>
      `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: f${f} }\nspec: { path: ${app}/f${f}.txt, content: "${app} file ${f} v${version}" }\n`,
  ).join('---\n');
}

/** Counts SQLite statements run (`run` and `all` of every prepared statement) and commits from now on. */
function countStatements(): { read(): number; commits(): number } {
  const probe = new BetterSqlite3(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<
    'run' | 'all',
    (...args: unknown[]) => unknown
  >;
  const database = Object.getPrototypeOf(probe) as { exec(sql: string): unknown };
  probe.close();
  let count = 0;
  let commits = 0;
  for (const method of ['run', 'all'] as const) {
    const original = proto[method];
    proto[method] = function counted(this: unknown, ...args: unknown[]) {
      count += 1;
      return original.apply(this, args);
    };
  }
  const exec = database.exec;
  database.exec = function countedExec(this: unknown, sql: string) {
    if (/^\s*commit\b/i.test(sql)) commits += 1;
    return exec.call(this, sql);
  };
  return { read: () => count, commits: () => commits };
}

/**
 * One monorepo of `apps` apps x 10 File resources, converged from cold by a fresh engine (real
 * process driver, git source, SQLite store): cold converge and peak RSS, a no-op pass over every
 * app, and one commit touching one app (time to applied, apps re-rendered).
 */
export async function runMonorepo(apps: number, base: string): Promise<MonorepoFigures> {
  const name = (i: number) => `app-${String(i).padStart(pad(apps), '0')}`;
  const bare = join(base, 'mono.git');
  const config = `apps:\n${Array.from({ length: apps }, (_, i) => `  - name: ${name(i)}\n    path: apps/${name(i)}\n`).join('')}`;
  await importHistory(bare, [
    {
      message: `${apps} apps\n`,
      files: {
        'wheelhouse.yaml': config,
        ...Object.fromEntries(
          Array.from({ length: apps }, (_, i) => [`apps/${name(i)}/files.yaml`, manifests(name(i), 1)]),
        ),
      },
    },
  ]);
  const statements = countStatements();
  let gitSpawns = 0;
  const gitPids = new Set<number>();
  const snapshot = (): StepCounts => {
    const usage = process.cpuUsage();
    return {
      cpuMs: (usage.user + usage.system) / 1000,
      systemMs: usage.system / 1000,
      gitCpuMs: childrenCpuMs(gitPids),
      gitSpawns,
      sqlStatements: statements.read(),
      sqlCommits: statements.commits(),
    };
  };
  const since = (before: StepCounts): StepCounts => {
    const now = snapshot();
    return {
      cpuMs: Math.round(now.cpuMs - before.cpuMs),
      systemMs: Math.round(now.systemMs - before.systemMs),
      gitCpuMs: Math.round(now.gitCpuMs - before.gitCpuMs),
      gitSpawns: now.gitSpawns - before.gitSpawns,
      sqlStatements: now.sqlStatements - before.sqlStatements,
      sqlCommits: now.sqlCommits - before.sqlCommits,
    };
  };
  const floorMs = writeFloor(join(base, 'floor'), apps, name);
  global.gc?.();
  const stopRss = trackPeakRss();
  const bench = await benchEngine(pathToFileURL(bare).href, join(base, 'data'), {
    onGitSpawn: ({ pid }) => {
      gitSpawns += 1;
      gitPids.add(pid);
    },
  });
  try {
    let before = snapshot();
    let started = performance.now();
    await bench.engine.start();
    await bench.engine.settled();
    const coldMs = performance.now() - started;
    const peakRssMiB = stopRss();
    const cold = since(before);
    const unhealthy = bench.engine
      .apps()
      .filter((a) => a.syncStatus !== 'Synced' || a.health.status !== 'Healthy');
    if (unhealthy.length > 0)
      throw new Error(`${unhealthy.length} apps did not converge, e.g. ${JSON.stringify(unhealthy[0])}`);

    before = snapshot();
    started = performance.now();
    await bench.engine.refresh(name(0));
    await bench.engine.settled();
    const noopMs = performance.now() - started;
    const noop = since(before);

    // One more commit that touches only the middle app, added to the bare repo as a push would.
    const touchedApp = name(Math.floor(apps / 2));
    const work = join(base, 'work');
    await runGit(['clone', '--quiet', bare, work]);
    await writeFile(join(work, `apps/${touchedApp}/files.yaml`), manifests(touchedApp, 2));
    const author = ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test'];
    await runGit([...author, 'commit', '--quiet', '-am', 'touch one app'], { cwd: work });
    await runGit(['push', '--quiet', 'origin', 'main'], { cwd: work });
    const rendersBefore = bench.engine.renderCount();
    before = snapshot();
    started = performance.now();
    await bench.engine.refresh(name(0));
    await bench.engine.settled();
    const oneAppMs = performance.now() - started;
    const oneApp = since(before);
    const rerendered = bench.engine.renderCount() - rendersBefore;
    const touched = bench.engine.status(touchedApp);
    if (touched.lastSync?.result !== 'succeeded' || touched.revision !== touched.desiredRevision)
      throw new Error(`app ${touchedApp} was not applied: ${JSON.stringify(touched.lastSync)}`);
    return {
      apps,
      coldMs,
      floorMs,
      peakRssMiB,
      noopMs,
      oneAppMs,
      rerendered,
      counts: { cold, noop, oneApp },
    };
  } finally {
    stopRss();
    await bench.close();
  }
}

/**
 * The machine's floor for what a cold converge must write, measured right before it: each app's
 * directory and its 10 files created atomically (a temporary file in one directory, its mode, a
 * rename into place), with nothing else. Creating files costs this kernel very different amounts
 * from one minute to the next (0.4 s to 4 s for 10,000 on the 2-core CI machine), so the cold
 * converge is only comparable with the floor measured beside it. The files stay until the run's
 * directory is removed: deleting them now would slow the converge that follows.
 */
function writeFloor(dir: string, apps: number, name: (i: number) => string): number {
  const staging = join(dir, 'staging');
  mkdirSync(staging, { recursive: true });
  const started = performance.now();
  for (let i = 0; i < apps; i++) {
    const appDir = join(dir, 'files', name(i));
    mkdirSync(appDir, { recursive: true });
    for (let f = 0; f < MONOREPO_FILES; f++) {
      const tmp = join(staging, `${i}-${f}.tmp`);
      const fd = openSync(tmp, 'wx', 0o644);
      writeFileSync(fd, `${name(i)} file ${f} v1`);
      fchmodSync(fd, 0o644);
      closeSync(fd);
      renameSync(tmp, join(appDir, `f${f}.txt`));
    }
  }
  return performance.now() - started;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time, in ms, of this process's children: those already reaped (`cutime` + `cstime` of
 * /proc/self/stat) and those of `pids` still running or not yet reaped (their own `utime` +
 * `stime`). Only git runs as a child of the bench's engine, so this is git's CPU. 0 where there is
 * no /proc.
 */
function childrenCpuMs(pids: Set<number>): number {
  const ticks = (fields: string[] | undefined, a: number, b: number) =>
    fields ? Number(fields[a]) + Number(fields[b]) : 0;
  // Field N is at index N - 3: utime and stime are fields 14 and 15, cutime and cstime 16 and 17.
  let total = ticks(procStatFields('self'), 13, 14);
  for (const pid of pids) {
    const fields = procStatFields(pid);
    if (fields === undefined)
      pids.delete(pid); // reaped: counted in cutime from now on
    else total += ticks(fields, 11, 12);
  }
  return (total * 1000) / TICKS_PER_SECOND;
}
