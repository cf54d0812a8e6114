import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../../src/core/index.js';
import { createGitSourceWithHooks } from '../../src/source/git/git-source.js';
import { runGit } from '../../src/source/git/index.js';
import { importHistory } from '../lib/fast-import.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';

const COMMITS = 1_000;
const APPS = 1_000;
const appPath = (i: number) => `apps/app-${String(i).padStart(4, '0')}`;

/** Git sources on a 1,000-commit, 1,000-app repository: fetch, resolve, tree ids, reads, checkouts. */
export const gitSources: Scenario = {
  name: 'git-sources',
  description: 'git layer on 1,000 commits x 1,000 app paths (time per call, git processes started)',
  async run(context) {
    const base = await context.tmp('git');
    const bare = join(base, 'big.git');
    await importHistory(
      bare,
      Array.from({ length: COMMITS }, (_, c) => ({
        message: `commit ${c + 1}\n`,
        files:
          c === 0
            ? Object.fromEntries(
                Array.from({ length: APPS }, (_, i) => [`${appPath(i)}/deploy.yaml`, `name: app-${i}\n`]),
              )
            : { [`${appPath((c - 1) % APPS)}/deploy.yaml`]: `name: app-${(c - 1) % APPS}\nrev: ${c}\n` },
      })),
    );
    let spawns = 0;
    const source = createGitSourceWithHooks(
      {
        dataDir: join(base, 'data'),
        log: silentLogger,
      },
      {
        onSpawn: () => spawns++,
      },
    );
    const repo = { url: pathToFileURL(bare).href };
    const paths = Array.from({ length: APPS }, (_, i) => appPath(i));
    const rows: BenchRow[] = [];
    const measure = async <T>(metric: string, fn: () => Promise<T>, per = 1): Promise<T> => {
      const before = spawns;
      const started = performance.now();
      const out = await fn();
      const ms = (performance.now() - started) / per;
      rows.push({
        metric,
        value: Math.round(ms * 100) / 100,
        unit: 'ms',
        detail: { 'git processes': spawns - before },
      });
      return out;
    };
    try {
      await measure('fetch (first, file://)', () => source.fetch(repo));
      const head = await measure('resolve main', () => source.resolve(repo, 'main'));
      await measure('treeIds 1,000 paths (cold)', () => source.treeIds(repo, head, paths));
      await measure('treeIds 1,000 paths (warm)', () => source.treeIds(repo, head, paths));
      const commits = (await runGit([`--git-dir=${bare}`, 'rev-list', '--max-count=50', 'main'])).stdout
        .trim()
        .split('\n');
      await measure(
        'treeIds 1,000 paths, per commit (50 commits)',
        async () => {
          for (const sha of commits) await source.treeIds(repo, sha, paths);
        },
        commits.length,
      );
      await measure('readFiles one app', () => source.readFiles(repo, head, appPath(7)));
      await measure('materialize one app (cold)', () => source.materialize(repo, head, appPath(7)));
      await measure('materialize one app (shared)', () => source.materialize(repo, head, appPath(7)));
      await measure('fetch (no change)', () => source.fetch(repo));
    } finally {
      await source.close();
    }
    return rows;
  },
};
