// Benchmark: git sources on a 1,000-commit, 1,000-app repository (fetch, resolve, tree ids,
// readFiles, materialize). Run: `npm run build && node dist/bench/git-sources.js`, or call
// `gitSourcesBench()` from the bench runner. Prints a table and writes JSON to bench/results.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../src/core/index.js';
import { createGitSource, removeTree, runGit } from '../src/source/git/index.js';

export interface BenchRow {
  scenario: string;
  value: number;
  unit: string;
  /** Git processes started during the scenario. */
  spawns: number;
}

const COMMITS = 1_000;
const APPS = 1_000;
const appPath = (i: number) => `apps/app-${String(i).padStart(4, '0')}`;

/** A bare repo whose first commit creates every app and whose later commits each edit one app. */
async function writeRepo(dir: string): Promise<void> {
  await runGit(['init', '--bare', '--quiet', '--initial-branch=main', dir]);
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let c = 1; c <= COMMITS; c++) {
    const ident = `Bench <bench@example.test> ${1_700_000_000 + c * 60} +0000\n`;
    parts.push(
      `commit refs/heads/main\nmark :${c}\nauthor ${ident}committer ${ident}`,
      data(`commit ${c}\n`),
    );
    if (c > 1) parts.push(`from :${c - 1}\n`);
    const touched = c === 1 ? Array.from({ length: APPS }, (_, i) => i) : [(c - 2) % APPS];
    for (const i of touched)
      parts.push(`M 100644 inline ${appPath(i)}/deploy.yaml\n`, data(`name: app-${i}\nrev: ${c}\n`));
    parts.push('\n');
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], {
      cwd: dir,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)),
    );
    child.stdin.end(parts.join(''));
  });
}

export async function gitSourcesBench(): Promise<BenchRow[]> {
  const base = await mkdtemp(join(tmpdir(), 'wh-bench-git-'));
  try {
    const bare = join(base, 'big.git');
    await writeRepo(bare);
    let spawns = 0;
    const source = createGitSource({
      dataDir: join(base, 'data'),
      log: silentLogger,
      onSpawn: () => spawns++,
    });
    const repo = { url: pathToFileURL(bare).href };
    const paths = Array.from({ length: APPS }, (_, i) => appPath(i));
    const rows: BenchRow[] = [];
    const measure = async <T>(scenario: string, fn: () => Promise<T>, per = 1): Promise<T> => {
      const before = spawns;
      const started = process.hrtime.bigint();
      const out = await fn();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      rows.push({ scenario, value: Math.round((ms / per) * 100) / 100, unit: 'ms', spawns: spawns - before });
      return out;
    };
    try {
      await measure('fetch (first, 1,000 commits, file://)', () => source.fetch(repo));
      const head = await measure('resolve main (refs listed)', () => source.resolve(repo, 'main'));
      await measure('treeIds 1,000 paths (starts cat-file)', () => source.treeIds(repo, head, paths));
      await measure('treeIds 1,000 paths (warm)', () => source.treeIds(repo, head, paths));
      const commits = (await runGit([`--git-dir=${bare}`, 'rev-list', '--max-count=50', 'main'])).stdout
        .trim()
        .split('\n');
      await measure(
        'treeIds 1,000 paths, per commit over 50 commits',
        async () => {
          for (const sha of commits) await source.treeIds(repo, sha, paths);
        },
        commits.length,
      );
      await measure('readFiles one app', () => source.readFiles(repo, head, appPath(7)));
      await measure('readFiles whole repo (1,000 files)', () => source.readFiles(repo, head, ''));
      await measure('materialize one app (cold)', () => source.materialize(repo, head, appPath(7)));
      await measure('materialize one app (shared)', () => source.materialize(repo, head, appPath(7)));
      await measure('log of one app path', () => source.log(repo, undefined, head, appPath(7), 20));
      await measure('fetch (no change)', () => source.fetch(repo));
    } finally {
      await source.close();
    }
    return rows;
  } finally {
    await removeTree(base);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await gitSourcesBench();
  console.table(rows);
  const out = join(process.cwd(), 'bench', 'results');
  await mkdir(out, { recursive: true });
  await writeFile(
    join(out, 'git-sources.json'),
    `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 2)}\n`,
  );
}
