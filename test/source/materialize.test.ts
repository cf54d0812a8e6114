import { chmod, mkdir, readdir, readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, WheelhouseError } from '../../src/core/index.js';
import { createGitSource, type GitSource } from '../../src/source/git/index.js';
import { commitFiles, createRepo, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs(); // vitest helper, not a React hook

async function caught(promise: Promise<unknown>): Promise<WheelhouseError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WheelhouseError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Mode bits of every entry under dir, keyed by relative path. */
async function modes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = { '.': (await stat(dir)).mode & 0o777 };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath, entry.name);
    out[full.slice(dir.length + 1)] = (await stat(full)).mode & 0o777;
  }
  return out;
}

describe('materialize and readFiles', () => {
  let work: string;
  let dataDir: string;
  let source: GitSource;
  let repo: { url: string };
  let first: string;
  let second: string;

  beforeAll(async () => {
    work = await tmp('mat-work');
    dataDir = await tmp('mat-data');
    first = await createRepo(work, {
      'apps/web/deploy.yaml': 'name: web\n',
      'apps/web/config/app.env': 'A=1\n',
      'apps/web/.hidden.yaml': 'x: 1\n',
      'apps/web/run.sh': '#!/bin/sh\necho hi\n',
      'apps/api/deploy.yaml': 'name: api\n',
    });
    await chmod(join(work, 'apps/web/run.sh'), 0o755);
    first = await commitFiles(work, {}, 'exec bit');
    second = await commitFiles(work, { 'apps/api/deploy.yaml': 'name: api2\n' }, 'api only');
    source = createGitSource({ dataDir, log: silentLogger, keepTrees: 3 });
    repo = { url: work };
  });

  afterAll(async () => {
    await source?.close();
  });

  it('reads every file under a path from the object store', async () => {
    const files = await source.readFiles(repo, second, 'apps/web');
    expect(files.map((f) => f.path)).toEqual([
      'apps/web/.hidden.yaml',
      'apps/web/config/app.env',
      'apps/web/deploy.yaml',
      'apps/web/run.sh',
    ]);
    expect(files.find((f) => f.path === 'apps/web/config/app.env')?.content.toString()).toBe('A=1\n');
    expect((await source.readFiles(repo, second, '')).length).toBe(5);
  });

  it('answers many concurrent reads through the one pipelined reader, each with its own answer', async () => {
    const rounds = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? source
            .readFiles(repo, i % 4 === 0 ? first : second, 'apps/api')
            .then((f) => f.map((x) => x.content.toString()))
        : source.treeIds(repo, second, ['apps/web', 'apps/api', 'missing']).then((m) => [...m.values()]),
    );
    const results = await Promise.all(rounds);
    const apiTree = await git(work, 'rev-parse', `${second}:apps/api`);
    results.forEach((result, i) => {
      if (i % 2 === 1) expect(result).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/), apiTree, null]);
      else expect(result).toEqual([i % 4 === 0 ? 'name: api\n' : 'name: api2\n']);
    });
  });

  it('refuses a file over the size guard, naming it', async () => {
    const dir = await tmp('big-work');
    const sha = await createRepo(dir, {
      'apps/big/deploy.yaml': 'x: 1\n',
      'apps/big/blob.bin': 'y'.repeat(5000),
    });
    const small = createGitSource({
      dataDir: await tmp('big-data'),
      log: silentLogger,
      limits: { maxFileBytes: 4096 },
    });
    try {
      const err = await caught(small.readFiles({ url: dir }, sha, 'apps/big'));
      expect(err.code).toBe('INPUT_REFUSED');
      expect(err.details.file).toBe('apps/big/blob.bin');
      expect(err.message).toContain('apps/big/blob.bin');
    } finally {
      await small.close();
    }
  });

  it('reads the tree the caller names by id, without looking the path up again', async () => {
    const ids = await source.treeIds(repo, second, ['apps/web']);
    const webTree = ids.get('apps/web') ?? undefined;
    expect(webTree).toMatch(/^[0-9a-f]{40}$/);
    const byId = await source.readFiles(repo, second, 'apps/web', webTree);
    expect(byId).toEqual(await source.readFiles(repo, second, 'apps/web'));
    // The id is what is read: the path only names the files (it need not exist at the revision).
    const named = await source.readFiles(repo, second, 'apps/renamed', webTree);
    expect(named.map((f) => f.path)).toContain('apps/renamed/config/app.env');
  });

  it('reads a branch where it points after each fetch (only full shas are remembered)', async () => {
    const branchWork = await tmp('branch-work');
    await createRepo(branchWork, { 'apps/web/deploy.yaml': 'v: 1\n' });
    const branch = { url: branchWork };
    const first = await source.treeIds(branch, 'main', ['apps/web']);
    await commitFiles(branchWork, { 'apps/web/deploy.yaml': 'v: 2\n' }, 'v2');
    await source.fetch(branch);
    const second = await source.treeIds(branch, 'main', ['apps/web']);
    expect(second.get('apps/web')).toBe(await git(branchWork, 'rev-parse', 'main:apps/web'));
    expect(second.get('apps/web')).not.toBe(first.get('apps/web'));
    const files = await source.readFiles(branch, 'main', 'apps/web');
    expect(files.map((f) => f.content.toString())).toEqual(['v: 2\n']);
  });

  it('refuses a tree id that is malformed or names a file', async () => {
    const malformed = await caught(source.readFiles(repo, second, 'apps/web', 'HEAD'));
    expect(malformed.code).toBe('BAD_REQUEST');
    expect(malformed.message).toContain('"HEAD"');
    const blob = await git(work, 'rev-parse', `${second}:apps/web/deploy.yaml`);
    const notTree = await caught(source.readFiles(repo, second, 'apps/web', blob));
    expect(notTree.code).toBe('NOT_FOUND');
    expect(notTree.message).toContain(`'apps/web' at ${second.slice(0, 7)}`);
    expect(notTree.message).toContain('is a blob');
  });

  it('says when the path is not a directory at that revision', async () => {
    const err = await caught(source.readFiles(repo, second, 'apps/nope'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toContain("path 'apps/nope'");
    const file = await caught(source.readFiles(repo, second, 'apps/web/deploy.yaml'));
    expect(file.code).toBe('NOT_FOUND');
    expect(file.message).toContain(`path 'apps/web/deploy.yaml' is not a directory at ${second.slice(0, 7)}`);
    const outside = await caught(source.materialize(repo, second, '../etc'));
    expect(outside.code).toBe('BAD_REQUEST');
  });

  it('builds a read-only tree keyed by tree id and shares it between revisions', async () => {
    const dirA = await source.materialize(repo, first, 'apps/web');
    const treeId = await git(work, 'rev-parse', `${first}:apps/web`);
    expect(dirA).toBe(join(dataDir, 'git', 'trees', treeId));
    expect(await readFile(join(dirA, 'config', 'app.env'), 'utf8')).toBe('A=1\n');
    const bits = await modes(dirA);
    expect(bits).toEqual({
      '.': 0o555,
      '.hidden.yaml': 0o444,
      config: 0o555,
      'config/app.env': 0o444,
      'deploy.yaml': 0o444,
      'run.sh': 0o555,
    });
    // apps/web did not change in the second commit: same tree, same directory.
    expect(await source.materialize(repo, second, 'apps/web')).toBe(dirA);
    // Another repo with an identical tree shares it too.
    const other = await tmp('mat-other');
    const otherSha = await createRepo(other, {
      'deploy/web/deploy.yaml': 'name: web\n',
      'deploy/web/config/app.env': 'A=1\n',
      'deploy/web/.hidden.yaml': 'x: 1\n',
      'deploy/web/run.sh': '#!/bin/sh\necho hi\n',
    });
    await chmod(join(other, 'deploy/web/run.sh'), 0o755);
    expect(await commitFiles(other, {}, 'exec bit')).not.toBe(otherSha);
    expect(await source.materialize({ url: other }, 'main', 'deploy/web')).toBe(dirA);
    // The whole repo is materialized when no path is given.
    const whole = await source.materialize(repo, second);
    expect(await readFile(join(whole, 'apps', 'api', 'deploy.yaml'), 'utf8')).toBe('name: api2\n');
  });

  it('keeps the newest N trees by last use and clears crash leftovers', async () => {
    const dir = await tmp('gc-work');
    const gcData = await tmp('gc-data');
    const shas = [await createRepo(dir, { 'app/v.yaml': 'v: 0\n' })];
    for (let i = 1; i < 5; i++) shas.push(await commitFiles(dir, { 'app/v.yaml': `v: ${i}\n` }, `v${i}`));
    const leftover = join(gcData, 'git', 'trees', '.tmp-deadbeef-1234');
    await mkdir(join(leftover, 'half'), { recursive: true });
    const gc = createGitSource({ dataDir: gcData, log: silentLogger, keepTrees: 2 });
    try {
      const ref = { url: dir };
      const name = (path: string | undefined) => path?.split('/').at(-1) ?? '';
      const treesNow = async () => (await readdir(join(gcData, 'git', 'trees'))).sort();
      const trees: string[] = [];
      for (const [i, sha] of shas.slice(0, 4).entries()) {
        trees.push(await gc.materialize(ref, sha, 'app'));
        // Last use is the directory's mtime: date the uses a minute apart, in the past, instead of waiting.
        const when = new Date(Date.UTC(2000, 0, 1, 0, i));
        await utimes(trees[i] ?? '', when, when);
      }
      expect(await treesNow()).toEqual([name(trees[2]), name(trees[3])].sort());
      expect(await stat(leftover).catch(() => undefined)).toBeUndefined();
      // Using tree 2 again makes it the most recently used: the next new tree pushes out tree 3.
      expect(await gc.materialize(ref, shas[2] ?? '', 'app')).toBe(trees[2]);
      const fifth = await gc.materialize(ref, shas[4] ?? '', 'app');
      expect(await treesNow()).toEqual([name(trees[2]), name(fifth)].sort());
      expect(await readFile(join(trees[2] ?? '', 'v.yaml'), 'utf8')).toBe('v: 2\n');
      expect(await gc.gcTrees()).toEqual([]);
      // A collected tree is rebuilt on demand.
      expect(await gc.materialize(ref, shas[0] ?? '', 'app')).toBe(trees[0]);
      expect(await readFile(join(trees[0] ?? '', 'v.yaml'), 'utf8')).toBe('v: 0\n');
    } finally {
      await gc.close();
    }
  });
});
