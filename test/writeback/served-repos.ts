import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import { createGitSource, type GitSource } from '../../src/source/git/index.js';
import { createRepo, git } from '../support/git.js';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.js';
import type { tempDirs } from '../support/tmp.js';

export interface ServedRepo {
  url: string;
  bare: string;
  /** A clone to push competing commits from, as another person. */
  clone: string;
}

/**
 * A git HTTP server and a git source for one test file (beforeAll/afterAll): `served(files)` makes
 * a bare repo seeded with `files`, served over smart HTTP, plus a clone to push from.
 */
export function useServedRepos(tmp: ReturnType<typeof tempDirs>): {
  source: () => GitSource;
  served: (files: Record<string, string>) => Promise<ServedRepo>;
} {
  let server: GitHttpServer | undefined;
  let root = '';
  let source: GitSource | undefined;
  let counter = 0;
  beforeAll(async () => {
    root = await tmp('git-root');
    server = await startGitHttpServer({ root });
    source = createGitSource({ dataDir: await tmp('data'), log: silentLogger });
  });
  afterAll(async () => {
    await source?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the git server did not start (see the beforeAll error)');
    return value;
  };
  return {
    source: () => started(source),
    async served(files) {
      const name = `team/app${++counter}.git`;
      const seed = await tmp('seed');
      await createRepo(seed, files);
      const bare = join(root, name);
      await git(seed, 'clone', '--quiet', '--bare', seed, bare);
      await git(bare, 'config', 'http.receivepack', 'true');
      const url = started(server).repoUrl(name);
      const clone = await tmp('clone');
      await git(clone, 'clone', '--quiet', url, '.');
      await git(clone, 'config', 'user.name', 'Someone Else');
      await git(clone, 'config', 'user.email', 'else@example.test');
      return { url, bare, clone };
    },
  };
}
