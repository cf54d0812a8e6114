import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import {
  copyTree,
  createWriteBack,
  restorePath,
  setYamlValue,
  type WriteBackRequest,
  wheelhouseTrailers,
} from '../../src/writeback/index.js';
import { createWriteBackWithHooks } from '../../src/writeback/write-back.js';
import { commitFiles, createRepo, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { useServedRepos } from './served-repos.js';

describe('write-back', () => {
  const tmp = tempDirs();

  const WEB = `# The web service
apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "server.js"]  # argv
  replicas: 1   # how many
`;

  const repos = useServedRepos(tmp);
  /** A bare repo served over smart HTTP, seeded with the web manifest; returns its URL and a clone to push from. */
  const servedRepo = () => repos.served({ 'apps/web/web.yaml': WEB, 'README.md': 'hello\n' });

  /** Another person pushes a commit (to `file`, or to the web manifest's replicas line). */
  async function pushCompeting(clone: string, file: string, content: string): Promise<void> {
    await git(clone, 'pull', '--quiet', '--rebase');
    await writeFile(join(clone, file), content);
    await git(clone, 'add', '--all');
    await git(clone, 'commit', '--quiet', '-m', `competing change to ${file}`);
    await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
  }

  function scaleRequest(
    url: string,
    replicas: number,
    over: Partial<WriteBackRequest> = {},
  ): WriteBackRequest {
    return {
      repo: { url },
      branch: 'main',
      protected: false,
      pushBranch: 'wheelhouse/scale-abc123',
      author: { name: 'Alice', email: 'alice@example.com' },
      message: {
        subject: `web: scale process web to ${replicas}`,
        trailers: wheelhouseTrailers({ actor: 'web:alice', request: 'msg-1', approvedBy: ['web:bob'] }),
      },
      async edit(worktree) {
        const file = join(worktree.dir, 'apps/web/web.yaml');
        const text = await readFile(file, 'utf8');
        const next = setYamlValue(text, 'apps/web/web.yaml', 0, ['spec', 'replicas'], replicas);
        if (next === text) return false;
        await writeFile(file, next);
        return true;
      },
      ...over,
    };
  }

  describe('write-back over smart HTTP', () => {
    it('commits as the person with Wheelhouse as committer, trailers, comments kept', async () => {
      const { url, bare } = await servedRepo();
      const writeBack = createWriteBack({ git: repos.source(), dataDir: await tmp('wb'), log: silentLogger });
      const result = await writeBack.commit(scaleRequest(url, 3));
      expect(result).toMatchObject({ changed: true, branch: 'main', attempts: 1 });
      if (!result.changed) return;
      expect(await git(bare, 'rev-parse', 'main')).toBe(result.commit);
      expect(await git(bare, 'log', '-1', '--format=%an <%ae>|%cn|%s', 'main')).toBe(
        'Alice <alice@example.com>|Wheelhouse|web: scale process web to 3',
      );
      const trailers = await git(bare, 'log', '-1', '--format=%(trailers:only,unfold)', 'main');
      expect(trailers.split('\n')).toEqual([
        'Wheelhouse-Actor: web:alice',
        'Wheelhouse-Request: msg-1',
        'Wheelhouse-Approved-By: web:bob',
      ]);
      expect(await git(bare, 'show', 'main:apps/web/web.yaml')).toBe(
        WEB.replace('replicas: 1   # how many', 'replicas: 3   # how many').trim(),
      );
    });

    it('reports no change when the value is already there', async () => {
      const { url, bare } = await servedRepo();
      const before = await git(bare, 'rev-parse', 'main');
      const writeBack = createWriteBack({ git: repos.source(), dataDir: await tmp('wb'), log: silentLogger });
      expect(await writeBack.commit(scaleRequest(url, 1))).toEqual({ changed: false, base: before });
      expect(await git(bare, 'rev-parse', 'main')).toBe(before);
    });

    it('rebases onto a concurrent push and pushes again', async () => {
      const { url, bare, clone } = await servedRepo();
      const writeBack = createWriteBackWithHooks(
        {
          git: repos.source(),
          dataDir: await tmp('wb'),
          log: silentLogger,
        },
        {
          beforePush: async (attempt) => {
            if (attempt === 1) await pushCompeting(clone, 'README.md', 'changed meanwhile\n');
          },
        },
      );
      const result = await writeBack.commit(scaleRequest(url, 2));
      expect(result).toMatchObject({ changed: true, attempts: 2 });
      const subjects = (await git(bare, 'log', '--format=%s', 'main')).split('\n');
      expect(subjects.slice(0, 2)).toEqual(['web: scale process web to 2', 'competing change to README.md']);
      expect(await git(bare, 'show', 'main:README.md')).toBe('changed meanwhile');
      expect(await git(bare, 'log', '-1', '--format=%an|%cn', 'main')).toBe('Alice|Wheelhouse');
    });

    it('gives up with a conflict after three rebases when the branch keeps moving', async () => {
      const { url, bare, clone } = await servedRepo();
      let pushes = 0;
      const writeBack = createWriteBackWithHooks(
        {
          git: repos.source(),
          dataDir: await tmp('wb'),
          log: silentLogger,
        },
        {
          beforePush: async () => {
            pushes++;
            await pushCompeting(clone, 'README.md', `busy ${pushes}\n`);
          },
        },
      );
      await expect(writeBack.commit(scaleRequest(url, 4))).rejects.toMatchObject({
        code: 'WRITEBACK_CONFLICT',
        message: expect.stringContaining('rejected 4 times'),
      });
      expect(pushes).toBe(4);
      expect(await git(bare, 'log', '-1', '--format=%s', 'main')).toBe('competing change to README.md');
    });

    it('reports a conflict when someone changed the same line meanwhile', async () => {
      const { url, clone } = await servedRepo();
      const writeBack = createWriteBackWithHooks(
        {
          git: repos.source(),
          dataDir: await tmp('wb'),
          log: silentLogger,
        },
        {
          beforePush: async (attempt) => {
            if (attempt === 1)
              await pushCompeting(clone, 'apps/web/web.yaml', WEB.replace('replicas: 1', 'replicas: 7'));
          },
        },
      );
      await expect(writeBack.commit(scaleRequest(url, 5))).rejects.toMatchObject({
        code: 'WRITEBACK_CONFLICT',
        message: expect.stringContaining('same lines'),
      });
    });

    it('pushes a new branch for a protected source and leaves the branch alone', async () => {
      const { url, bare } = await servedRepo();
      const before = await git(bare, 'rev-parse', 'main');
      const writeBack = createWriteBack({ git: repos.source(), dataDir: await tmp('wb'), log: silentLogger });
      const result = await writeBack.commit(scaleRequest(url, 3, { protected: true }));
      expect(result).toMatchObject({ changed: true, branch: 'wheelhouse/scale-abc123', protected: true });
      expect(await git(bare, 'rev-parse', 'main')).toBe(before);
      expect(await git(bare, 'log', '-1', '--format=%an|%s', 'wheelhouse/scale-abc123')).toBe(
        'Alice|web: scale process web to 3',
      );
    });

    it('refuses a source ref that is not a branch', async () => {
      const { url } = await servedRepo();
      const writeBack = createWriteBack({ git: repos.source(), dataDir: await tmp('wb'), log: silentLogger });
      await expect(writeBack.commit(scaleRequest(url, 3, { branch: 'v1.0' }))).rejects.toMatchObject({
        code: 'WRITEBACK_FAILED',
        message: expect.stringContaining('is not a branch'),
      });
    });
  });

  describe('tree operations on a local repo', () => {
    it('restores a path to an earlier revision (rollback) and copies one path to another (promotion)', async () => {
      const dir = await tmp('local');
      const first = await createRepo(dir, {
        'apps/web/a.yaml': 'v: 1\n',
        'apps/web/b.yaml': 'b: 1\n',
        'other.txt': 'x\n',
      });
      await commitFiles(
        dir,
        {
          'apps/web/a.yaml': 'v: 2\n',
          'apps/web/b.yaml': null,
          'apps/web/c.yaml': 'c: 1\n',
          'other.txt': 'y\n',
        },
        'two',
      );
      const bare = await tmp('local-bare');
      await git(dir, 'clone', '--quiet', '--bare', dir, bare);
      const writeBack = createWriteBack({ git: repos.source(), dataDir: await tmp('wb'), log: silentLogger });
      const base = {
        repo: { url: bare },
        branch: 'main',
        protected: false,
        pushBranch: 'x',
        author: { name: 'A', email: 'a@x' },
      };
      const rolled = await writeBack.commit({
        ...base,
        message: { subject: 'roll back web', trailers: [] },
        edit: async (worktree) => {
          await restorePath(worktree, first, 'apps/web');
          return true;
        },
      });
      expect(rolled.changed).toBe(true);
      expect(await git(bare, 'ls-tree', '-r', '--name-only', 'main')).toBe(
        ['apps/web/a.yaml', 'apps/web/b.yaml', 'other.txt'].join('\n'),
      );
      expect(await git(bare, 'rev-parse', 'main:apps/web')).toBe(
        await git(bare, 'rev-parse', `${first}:apps/web`),
      );
      expect(await git(bare, 'show', 'main:other.txt')).toBe('y');

      const promoted = await writeBack.commit({
        ...base,
        message: { subject: 'promote web to prod', trailers: [] },
        edit: async (worktree) => {
          await copyTree(worktree, first, 'apps/web', 'apps/web-prod');
          return true;
        },
      });
      expect(promoted.changed).toBe(true);
      expect(await git(bare, 'rev-parse', 'main:apps/web-prod')).toBe(
        await git(bare, 'rev-parse', `${first}:apps/web`),
      );
    });
  });
});
