import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MONOREPO_FILES, type MonorepoFigures } from '../lib/monorepo-run.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { round } from '../lib/stats.js';

/** `WHEELHOUSE_BENCH_MONOREPO_APPS=100,1000` for a shorter run; default 100, 1,000 and 10,000. */
const SIZES = (process.env.WHEELHOUSE_BENCH_MONOREPO_APPS ?? '100,1000,10000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);

/**
 * A floor slower than this per file (the 2-core machine's quiet floor is 16–25 µs) says the file
 * system is slow right now; on ext4 without a journal that follows a large removal (another bench
 * run, the test suite) for minutes. The figures beside it are read with that in mind.
 */
const SLOW_FLOOR_MS_PER_FILE = 0.05;

/** Targets from issue 18, by app count. */
const TARGETS: Record<number, { cold?: string; rss?: string; noop?: string; one?: string }> = {
  1000: { cold: '< 3000 ms' },
  10000: { cold: '< 30000 ms', rss: '< 1024 MiB', noop: '< 1000 ms', one: '< 500 ms' },
};

/** Runs one size in a forked process; `WHEELHOUSE_BENCH_CPU_PROF=DIR` writes its CPU profile there. */
function runSize(apps: number, dir: string): Promise<MonorepoFigures> {
  const profile = process.env.WHEELHOUSE_BENCH_CPU_PROF;
  const child = fork(
    fileURLToPath(new URL('../lib/monorepo-child.js', import.meta.url)),
    [String(apps), dir],
    {
      execArgv: ['--expose-gc', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])],
    },
  );
  return new Promise((resolve, reject) => {
    let answered = false;
    child.on('message', (message: { figures?: MonorepoFigures; error?: string }) => {
      answered = true;
      if (message.figures) resolve(message.figures);
      else reject(new Error(`the ${apps}-app monorepo run failed: ${message.error}`));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!answered) reject(new Error(`the ${apps}-app monorepo run exited ${code} without figures`));
    });
  });
}

function rows(f: MonorepoFigures): BenchRow[] {
  const n = f.apps.toLocaleString('en-US');
  const t = TARGETS[f.apps] ?? {};
  const counts = (step: 'cold' | 'noop' | 'oneApp') => ({
    'CPU ms (engine process)': f.counts[step].cpuMs,
    '  of which in the kernel': f.counts[step].systemMs,
    'git processes': f.counts[step].gitSpawns,
    '  their CPU ms': f.counts[step].gitCpuMs,
    'SQL statements': f.counts[step].sqlStatements,
    'SQL commits': f.counts[step].sqlCommits,
  });
  return [
    {
      metric: `${n} apps: cold converge (${(f.apps * MONOREPO_FILES).toLocaleString('en-US')} files)`,
      value: round(f.coldMs),
      unit: 'ms',
      ...(t.cold ? { target: t.cold } : {}),
      detail: counts('cold'),
    },
    {
      metric: `${n} apps: the same files written by a bare loop just before (the floor)`,
      value: round(f.floorMs),
      unit: 'ms',
      detail: {
        'cold converge / floor': round(f.coldMs / f.floorMs),
        ...(f.floorMs / (f.apps * MONOREPO_FILES) > SLOW_FLOOR_MS_PER_FILE
          ? {
              'file system slow now, µs per file': `${round((f.floorMs * 1000) / (f.apps * MONOREPO_FILES))} (after a removal? README: Measuring here)`,
            }
          : {}),
      },
    },
    {
      metric: `${n} apps: peak RSS, cold`,
      value: round(f.peakRssMiB),
      unit: 'MiB',
      ...(t.rss ? { target: t.rss } : {}),
    },
    {
      metric: `${n} apps: no-op pass`,
      value: round(f.noopMs),
      unit: 'ms',
      ...(t.noop ? { target: t.noop } : {}),
      detail: counts('noop'),
    },
    {
      metric: `${n} apps: one-app commit -> applied`,
      value: round(f.oneAppMs),
      unit: 'ms',
      ...(t.one ? { target: t.one } : {}),
      detail: counts('oneApp'),
    },
    { metric: `${n} apps: apps re-rendered by that commit`, value: f.rerendered, unit: 'count', target: '1' },
  ];
}

/**
 * The scaling table: a monorepo of 100 / 1,000 / 10,000 apps x 10 File resources, each size in
 * its own process: cold converge and peak RSS, a no-op pass, a one-app commit -> applied and the
 * apps it re-rendered, with the git processes and SQL statements each step ran.
 */
export const monorepo: Scenario = {
  name: 'monorepo',
  description: `${SIZES.join(' / ')} apps x ${MONOREPO_FILES} File resources in one repo`,
  async run(context) {
    const out: BenchRow[] = [];
    for (const apps of SIZES) {
      context.log(`${apps} apps`);
      out.push(...rows(await runSize(apps, await context.tmp(`mono-${apps}`))));
    }
    return out;
  },
};
