import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, WheelhouseError } from '../../src/core/index.js';
import { createGitSource, type GitSource } from '../../src/source/git/index.js';
import { commitFiles, createRepo, git } from '../support/git.js';
import { publish } from '../support/git-history.js';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.js';
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

describe('resolve', () => {
  let work: string;
  let bare: string;
  let server: GitHttpServer;
  let source: GitSource;
  let repo: { url: string };
  const commits: Record<string, string> = {};

  beforeAll(async () => {
    const root = await tmp('resolve-root');
    work = await tmp('resolve-work');
    bare = join(root, 'app.git');
    commits.c1 = await createRepo(work, { 'apps/web/deploy.yaml': 'v: 1\n' });
    await git(work, 'tag', 'v1.0.0');
    commits.c2 = await commitFiles(work, { 'apps/web/deploy.yaml': 'v: 2\n' }, 'two');
    await git(work, 'tag', '-a', 'v1.2.0', '-m', 'release 1.2.0');
    commits.c3 = await commitFiles(work, { 'apps/web/deploy.yaml': 'v: 3\n' }, 'three');
    await git(work, 'tag', 'v1.2.5');
    commits.c4 = await commitFiles(work, { 'apps/web/deploy.yaml': 'v: 4\n' }, 'four');
    await git(work, 'tag', '1.3.0');
    commits.c5 = await commitFiles(work, { 'apps/web/deploy.yaml': 'v: 5\n' }, 'five');
    await git(work, 'tag', '-a', 'v2.0.0', '-m', 'release 2');
    commits.c6 = await commitFiles(work, { 'apps/web/deploy.yaml': 'v: 6\n' }, 'six');
    await git(work, 'tag', 'v2.1.0-rc.1');
    await git(work, 'tag', 'not-a-version');
    await git(work, 'branch', 'release/1.x', commits.c4 ?? '');
    await publish(work, bare);
    server = await startGitHttpServer({ root });
    source = createGitSource({ dataDir: await tmp('resolve-data'), log: silentLogger });
    repo = { url: server.repoUrl('app.git') };
    await source.fetch(repo);
  });

  afterAll(async () => {
    await source?.close();
    await server?.close();
  });

  it('resolves branches, including ones with slashes', async () => {
    expect(await source.resolve(repo, 'main')).toBe(commits.c6);
    expect(await source.resolve(repo, 'release/1.x')).toBe(commits.c4);
    expect(await source.resolve(repo, 'refs/heads/main')).toBe(commits.c6);
  });

  it('resolves lightweight and annotated tags to the commit', async () => {
    expect(await source.resolve(repo, 'v1.0.0')).toBe(commits.c1);
    expect(await source.resolve(repo, 'v1.2.0')).toBe(commits.c2);
    expect(await source.resolve(repo, 'refs/tags/v2.0.0')).toBe(commits.c5);
    const tagObject = await git(bare, 'rev-parse', 'v1.2.0');
    expect(tagObject).not.toBe(commits.c2);
  });

  it.each([
    ['>=1.2 <2', 'c4'],
    ['^1.0.0', 'c4'],
    ['~1.2', 'c3'],
    ['1.2.x', 'c3'],
    ['>=v1.2.0 <v1.2.5', 'c2'],
    ['^2', 'c5'],
    ['*', 'c5'],
    ['>=2.1.0-rc.0', 'c6'],
    ['1.0.0', 'c1'],
  ])('resolves the semver range %s to the highest matching tag', async (range, commit) => {
    expect(await source.resolve(repo, range)).toBe(commits[commit]);
  });

  it('says when no tag matches a semver range', async () => {
    const err = await caught(source.resolve(repo, '>=3'));
    expect(err.code).toBe('REF_NOT_FOUND');
    expect(err.message).toMatch(/no tag matches this semver range/);
    expect(err.message).toContain(repo.url);
  });

  it('resolves full and short shas', async () => {
    const c3 = commits.c3 ?? '';
    expect(await source.resolve(repo, c3)).toBe(c3);
    expect(await source.resolve(repo, c3.slice(0, 7))).toBe(c3);
    expect(await source.resolve(repo, c3.slice(0, 7).toUpperCase())).toBe(c3);
  });

  it('refuses a sha that is not in the mirror, saying what to do', async () => {
    const err = await caught(source.resolve(repo, 'f'.repeat(40)));
    expect(err.code).toBe('REF_NOT_FOUND');
    expect(err.message).toMatch(/fetch again/);
  });

  it('lists the closest existing refs for one that does not exist', async () => {
    const err = await caught(source.resolve(repo, 'mian'));
    expect(err.code).toBe('REF_NOT_FOUND');
    expect(err.message).toContain("ref 'mian' does not exist");
    expect(err.details.suggestions).toContain('main');
    const tagErr = await caught(source.resolve(repo, 'v1.2.6'));
    expect(tagErr.details.suggestions).toEqual(expect.arrayContaining(['v1.2.5', 'v1.2.0']));
  });

  it('refuses refs that look like options', async () => {
    const err = await caught(source.resolve(repo, '--output=/tmp/x'));
    expect(err.code).toBe('BAD_REQUEST');
  });

  it('follows a force-pushed branch while old trees stay readable', async () => {
    const dir = await tmp('force-work');
    const dataDir = await tmp('force-data');
    const remote = join(await tmp('force-root'), 'f.git');
    const a = await createRepo(dir, { 'apps/web/deploy.yaml': 'a\n' });
    const b = await commitFiles(dir, { 'apps/web/deploy.yaml': 'b\n' }, 'b');
    await publish(dir, remote);
    const local = createGitSource({ dataDir, log: silentLogger });
    try {
      const ref = { url: remote };
      expect(await local.resolve(ref, 'main')).toBe(b);
      await git(dir, 'reset', '--hard', '--quiet', a);
      const c = await commitFiles(dir, { 'apps/web/deploy.yaml': 'c\n' }, 'c');
      await publish(dir, remote);
      expect(await local.resolve(ref, 'main')).toBe(b);
      await local.fetch(ref);
      expect(await local.resolve(ref, 'main')).toBe(c);
      const [old] = await local.readFiles(ref, b, 'apps/web');
      expect(old?.content.toString()).toBe('b\n');
      expect((await local.treeIds(ref, b, ['apps/web'])).get('apps/web')).toBe(
        await git(dir, 'rev-parse', `${b}:apps/web`),
      );
      expect((await local.log(ref, a, c)).map((x) => x.sha)).toEqual([c]);
    } finally {
      await local.close();
    }
  });

  it('stops resolving a deleted tag after the next fetch prunes it', async () => {
    const dir = await tmp('tag-work');
    const remote = join(await tmp('tag-root'), 't.git');
    const one = await createRepo(dir, { 'a.yaml': '1\n' });
    await git(dir, 'tag', 'v1.0.0');
    await commitFiles(dir, { 'a.yaml': '2\n' }, 'two');
    await git(dir, 'tag', 'v1.1.0');
    await publish(dir, remote);
    const local = createGitSource({ dataDir: await tmp('tag-data'), log: silentLogger });
    try {
      const ref = { url: pathToFileURL(remote).href };
      expect(await local.resolve(ref, 'v1.0.0')).toBe(one);
      await git(dir, 'tag', '-d', 'v1.0.0');
      await publish(dir, remote);
      expect(await local.resolve(ref, 'v1.0.0')).toBe(one);
      await local.fetch(ref);
      const err = await caught(local.resolve(ref, 'v1.0.0'));
      expect(err.code).toBe('REF_NOT_FOUND');
      expect(err.details.suggestions).toContain('v1.1.0');
      expect(err.message).toContain('v1.1.0');
    } finally {
      await local.close();
    }
  });

  it('shares one mirror between a local path and its file:// URL', async () => {
    const local = createGitSource({ dataDir: await tmp('local-data'), log: silentLogger });
    try {
      const byPath = await local.mirrorDir({ url: bare });
      const byUrl = await local.mirrorDir({ url: `${pathToFileURL(bare).href}/` });
      expect(byUrl).toBe(byPath);
      expect(await local.resolve({ url: work }, 'main')).toBe(commits.c6);
    } finally {
      await local.close();
    }
  });

  it('reports commits with trailers, newest first, limited to a path', async () => {
    const dir = await tmp('log-work');
    const first = await createRepo(dir, { 'apps/web/a.yaml': '1\n', 'apps/api/a.yaml': '1\n' });
    const web = await commitFiles(
      dir,
      { 'apps/web/a.yaml': '2\n' },
      'bump web\n\nWheelhouse-Actor: slack:U1\nWheelhouse-Request: req-7',
      {
        name: 'Alice',
        email: 'alice@example.test',
      },
    );
    const api = await commitFiles(dir, { 'apps/api/a.yaml': '2\n' }, 'bump api');
    const local = createGitSource({ dataDir: await tmp('log-data'), log: silentLogger });
    try {
      const ref = { url: dir };
      const all = await local.log(ref, first, api);
      expect(all.map((c) => c.sha)).toEqual([api, web]);
      const onlyWeb = await local.log(ref, first, api, 'apps/web');
      expect(onlyWeb).toHaveLength(1);
      expect(onlyWeb[0]).toMatchObject({
        sha: web,
        subject: 'bump web',
        authorName: 'Alice',
        authorEmail: 'alice@example.test',
        trailers: { 'Wheelhouse-Actor': 'slack:U1', 'Wheelhouse-Request': 'req-7' },
      });
      expect(Date.parse(onlyWeb[0]?.authoredAt ?? '')).not.toBeNaN();
      expect((await local.log(ref, undefined, api, undefined, 2)).map((c) => c.sha)).toEqual([api, web]);
      const info = await local.commit(ref, 'main');
      expect(info.sha).toBe(api);
      expect(info.trailers).toBeUndefined();
    } finally {
      await local.close();
    }
  });
});
