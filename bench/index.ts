// `npm run bench`: runs every scenario (or those named on the command line), prints one table and
// writes JSON under bench/results/. Figures only; nothing here asserts.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, type ScenarioResult, writeResults } from './lib/report.js';
import type { BenchContext } from './lib/scenario.js';
import { scenarios } from './scenarios/index.js';

const wanted = process.argv.slice(2);
const selected = scenarios.filter((s) => wanted.length === 0 || wanted.includes(s.name));
if (selected.length === 0) {
  process.stderr.write(
    `no scenario matches ${wanted.join(', ')}; available: ${scenarios.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}

/**
 * `WHEELHOUSE_BENCH_KEEP=1` keeps each scenario's directories (to look at, or to remove later):
 * on a file system without a journal, ext4 skips inodes freed in the last minute or more when it
 * allocates, and creating files right after a large removal (a previous run's) took 7 times as long.
 */
const KEEP = process.env.WHEELHOUSE_BENCH_KEEP === '1';

const results: ScenarioResult[] = [];
for (const scenario of selected) {
  const dirs: string[] = [];
  const context: BenchContext = {
    async tmp(label) {
      const dir = await mkdtemp(join(tmpdir(), `wh-bench-${label}-`));
      // Enterable by others, as `wheelhouse up` makes its data dir: run as root, the process
      // driver starts workloads as an unprivileged user that must reach their code below here.
      await chmod(dir, 0o711);
      dirs.push(dir);
      return dir;
    },
    log: (message) => process.stderr.write(`[${scenario.name}] ${message}\n`),
  };
  process.stderr.write(`running ${scenario.name}: ${scenario.description}\n`);
  try {
    results.push({
      scenario: scenario.name,
      description: scenario.description,
      rows: await scenario.run(context),
    });
  } catch (err) {
    results.push({
      scenario: scenario.name,
      description: scenario.description,
      rows: [],
      error: String(err),
    });
  } finally {
    if (KEEP) process.stderr.write(`kept (WHEELHOUSE_BENCH_KEEP): ${dirs.join(' ')}\n`);
    else await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true, maxRetries: 3 })));
  }
}
printTable(results);
const resultsDir = fileURLToPath(new URL('../../bench/results', import.meta.url));
process.stdout.write(`\nwritten: ${await writeResults(resultsDir, results)}\n`);
