import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, WheelhouseError } from '../../src/core/index.js';
import { createGitSourceWithHooks } from '../../src/source/git/git-source.js';
import type { GitSource } from '../../src/source/git/index.js';
import { git } from '../support/git.js';
import { appPath, createBareRepo, writeHistory } from '../support/git-history.js';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs(); // vitest helper, not a React hook
const COMMITS = 1_000;
const APPS = 1_000;

describe('a 1,000-commit history with 1,000 app paths', () => {
  let bare: string;
  let shas: string[];
  let server: GitHttpServer;
  let source: GitSource;
  const spawns: string[][] = [];
  let repo: { url: string };

  beforeAll(async () => {
    const root = await tmp('history-root');
    bare = await createBareRepo(join(root, 'big.git'));
    shas = await writeHistory(bare, { commits: COMMITS, apps: APPS });
    server = await startGitHttpServer({ root });
    source = createGitSourceWithHooks(
      {
        dataDir: await tmp('history-data'),
        log: silentLogger,
      },
      {
        onSpawn: ({ args }) => spawns.push([...args]),
      },
    );
    repo = { url: server.repoUrl('big.git') };
  });

  afterAll(async () => {
    await source?.close();
    await server?.close();
  });

  it('fetches and resolves the head', async () => {
    expect(shas).toHaveLength(COMMITS);
    await source.fetch(repo);
    expect(await source.resolve(repo, 'main')).toBe(shas.at(-1));
  });

  it('answers tree ids of 1,000 paths with one git process', async () => {
    const head = shas.at(-1) ?? '';
    const paths = Array.from({ length: APPS }, (_, i) => appPath(i));
    paths.push('apps/does-not-exist', 'apps/app-0001/deploy.yaml');
    const before = spawns.length;
    const ids = await source.treeIds(repo, head, paths);
    const started = spawns.slice(before);
    expect(started.length).toBeLessThanOrEqual(1);
    expect(started.every((args) => args.includes('cat-file'))).toBe(true);
    expect(ids.size).toBe(APPS + 2);
    expect(ids.get('apps/does-not-exist')).toBeNull();
    // A file is not a tree: apps are directories.
    expect(ids.get('apps/app-0001/deploy.yaml')).toBeNull();
    for (const i of [0, 1, 499, 998, 999]) {
      expect(ids.get(appPath(i))).toBe(await git(bare, 'rev-parse', `${head}:${appPath(i)}`));
    }
    expect(new Set(ids.values()).size).toBe(APPS + 1);
    // The root, and a path below a missing or a file entry.
    const edge = await source.treeIds(repo, head, [
      '',
      '.',
      'apps/does-not-exist/x',
      'apps/app-0001/deploy.yaml/x',
    ]);
    expect(edge.get('')).toBe(await git(bare, 'rev-parse', `${head}^{tree}`));
    expect(edge.get('.')).toBe(edge.get(''));
    expect(edge.get('apps/does-not-exist/x')).toBeNull();
    expect(edge.get('apps/app-0001/deploy.yaml/x')).toBeNull();

    // The same long-lived process serves the next commit too.
    const again = spawns.length;
    const older = await source.treeIds(repo, shas[500] ?? '', paths);
    expect(spawns.length).toBe(again);
    // Commit n edits app n-2: app 100 last changed at commit 102, app 600 at commit 602 (after
    // commit 501, index 500), app 999 never.
    expect(older.get(appPath(999))).toBe(ids.get(appPath(999)));
    expect(older.get(appPath(100))).toBe(ids.get(appPath(100)));
    expect(older.get(appPath(600))).not.toBe(ids.get(appPath(600)));
  });

  it('answers each revision its own root, past the number of revisions it keeps', async () => {
    const revisions = shas.slice(100, 180); // more than the 64 kept
    for (const round of [0, 1]) {
      for (const sha of round === 0 ? revisions : revisions.slice(0, 5)) {
        const ids = await source.treeIds(repo, sha, ['']);
        expect({ sha, root: ids.get('') }).toEqual({
          sha,
          root: await git(bare, 'rev-parse', `${sha}^{tree}`),
        });
      }
    }
  });

  it('tells which apps a commit touched by comparing tree ids', async () => {
    const paths = Array.from({ length: APPS }, (_, i) => appPath(i));
    const parent = await source.treeIds(repo, shas[700] ?? '', paths);
    const child = await source.treeIds(repo, shas[701] ?? '', paths);
    const changed = paths.filter((p) => parent.get(p) !== child.get(p));
    // Commit index 701 is commit number 702, which edits app (702 - 2) % APPS.
    expect(changed).toEqual([appPath(700)]);
  });

  it('lists the history of one app path', async () => {
    const head = shas.at(-1) ?? '';
    const commits = await source.log(repo, shas[0], head, appPath(5));
    expect(commits.map((c) => c.sha)).toEqual([shas[6]]);
    expect(commits[0]?.trailers).toEqual({ 'Wheelhouse-Actor': 'test:bot' });
    const recent = await source.log(repo, undefined, head, undefined, 10);
    expect(recent.map((c) => c.sha)).toEqual(shas.slice(-10).reverse());
  });

  it('reports an ambiguous short sha with the candidates', async () => {
    const byPrefix = new Map<string, string[]>();
    for (const sha of shas) byPrefix.set(sha.slice(0, 4), [...(byPrefix.get(sha.slice(0, 4)) ?? []), sha]);
    const clash = [...byPrefix.entries()].find(([, list]) => list.length > 1);
    expect(clash).toBeDefined();
    const [prefix, candidates] = clash ?? ['', []];
    let caught: unknown;
    try {
      await source.resolve(repo, prefix);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WheelhouseError);
    const err = caught as WheelhouseError;
    expect(err.code).toBe('REF_NOT_FOUND');
    expect(err.message).toMatch(/ambiguous/);
    expect(err.details.candidates).toEqual(expect.arrayContaining(candidates));
    // One more character settles it.
    const unique = candidates[0] ?? '';
    expect(await source.resolve(repo, unique.slice(0, 12))).toBe(unique);
  });
});
