import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWheelhouseError, WheelhouseError } from '../../src/core/index.js';
import { createGitSourceWithHooks } from '../../src/source/git/git-source.js';
import { createGitSource } from '../../src/source/git/index.js';
import { captureLogger } from '../support/capture-logger.js';
import { commitFiles, createRepo, git } from '../support/git.js';
import { publish } from '../support/git-history.js';
import { type GitHttpServer, startGitHttpServer } from '../support/git-http-server.js';
import { liveProcessesInGroup, waitFor } from '../support/processes.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs(); // vitest helper, not a React hook
const PASSWORD = 'hunter2-Sup3rSecret';
const TOKEN = 'ghp_TokenValue0123456789';

async function caught(promise: Promise<unknown>): Promise<WheelhouseError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WheelhouseError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Every file in a directory tree, read as text (the mirror is small). */
async function allText(dir: string): Promise<string> {
  let out = '';
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    if ((await stat(full)).size < 1_000_000) out += await readFile(full, 'latin1');
  }
  return out;
}

describe('git sources over smart HTTP', () => {
  let root: string;
  let work: string;
  let head: string;
  let open: GitHttpServer;
  let locked: GitHttpServer;

  beforeAll(async () => {
    root = await tmp('http-root');
    work = await tmp('http-work');
    await createRepo(work, { 'apps/web/deploy.yaml': 'name: web\n' });
    head = await commitFiles(work, { 'apps/api/deploy.yaml': 'name: api\n' }, 'add api');
    await publish(work, join(root, 'team', 'web.git'));
    open = await startGitHttpServer({ root });
    locked = await startGitHttpServer({ root, auth: { username: 'deploy', password: PASSWORD } });
  });

  afterAll(async () => {
    await Promise.all([open?.close(), locked?.close()]);
  });

  it('fetches anonymously and resolves the branch', async () => {
    const source = createGitSource({ dataDir: await tmp('data'), log: captureLogger().logger });
    try {
      const repo = { url: open.repoUrl('team/web.git') };
      const result = await source.fetch(repo);
      expect(result.repo).toBe(open.repoUrl('team/web.git'));
      expect(await source.resolve(repo, 'main')).toBe(head);
      const files = await source.readFiles(repo, head, 'apps/api');
      expect(files.map((f) => [f.path, f.content.toString()])).toEqual([
        ['apps/api/deploy.yaml', 'name: api\n'],
      ]);
    } finally {
      await source.close();
    }
  });

  it('fetches with basic auth from env vars, keeping the password off the command line, config and logs', async () => {
    const log = captureLogger();
    const spawned: string[][] = [];
    const dataDir = await tmp('data');
    const source = createGitSourceWithHooks(
      {
        dataDir,
        log: log.logger,
        env: { GIT_USER: 'deploy', GIT_TOKEN: PASSWORD },
      },
      {
        onSpawn: ({ args }) => spawned.push([...args]),
      },
    );
    try {
      const repo = {
        url: locked.repoUrl('team/web.git'),
        auth: { usernameEnv: 'GIT_USER', passwordEnv: 'GIT_TOKEN' },
      };
      const before = locked.requests.length;
      await source.fetch(repo);
      expect(await source.resolve(repo, 'main')).toBe(head);
      const seen = locked.requests.slice(before);
      expect(seen.some((r) => r.user === 'deploy' && r.status === 200)).toBe(true);
      const encoded = Buffer.from(`deploy:${PASSWORD}`).toString('base64');
      expect(JSON.stringify(spawned)).not.toContain(PASSWORD);
      expect(JSON.stringify(spawned)).not.toContain(encoded);
      const mirror = await source.mirrorDir(repo);
      const stored = await allText(mirror);
      expect(stored).not.toContain(PASSWORD);
      expect(stored).not.toContain(encoded);
      expect(log.text()).not.toContain(PASSWORD);
    } finally {
      await source.close();
    }
  });

  it('sends a token with the default user name when only passwordEnv is set', async () => {
    const server = await startGitHttpServer({ root, auth: { username: 'x-access-token', password: TOKEN } });
    const source = createGitSource({
      dataDir: await tmp('data'),
      log: captureLogger().logger,
      env: { TOKEN },
    });
    try {
      const repo = { url: server.repoUrl('team/web.git'), auth: { passwordEnv: 'TOKEN' } };
      expect(await source.resolve(repo, 'main')).toBe(head);
    } finally {
      await source.close();
      await server.close();
    }
  });

  it('moves credentials embedded in the URL into a header and never prints them', async () => {
    const log = captureLogger();
    const spawned: string[][] = [];
    const source = createGitSourceWithHooks(
      {
        dataDir: await tmp('data'),
        log: log.logger,
      },
      {
        onSpawn: ({ args }) => spawned.push([...args]),
      },
    );
    try {
      const url = locked.repoUrl('team/web.git').replace('http://', `http://deploy:${PASSWORD}@`);
      expect(await source.resolve({ url }, 'main')).toBe(head);
      expect(JSON.stringify(spawned)).not.toContain(PASSWORD);
      const wrong = url.replace(PASSWORD, 'wrong-Passw0rd-value');
      const err = await caught(source.fetch({ url: wrong }));
      expect(err.code).toBe('GIT_AUTH');
      expect(err.message).not.toContain('wrong-Passw0rd-value');
      expect(log.text()).not.toContain('wrong-Passw0rd-value');
      expect(log.text()).not.toContain(PASSWORD);
    } finally {
      await source.close();
    }
  });

  it('reports a wrong password as GIT_AUTH naming the repo, without the secret', async () => {
    const log = captureLogger();
    const wrong = 'not-the-Right-passw0rd';
    const source = createGitSource({
      dataDir: await tmp('data'),
      log: log.logger,
      env: { GIT_USER: 'deploy', GIT_TOKEN: wrong },
    });
    try {
      const repo = {
        url: locked.repoUrl('team/web.git'),
        auth: { usernameEnv: 'GIT_USER', passwordEnv: 'GIT_TOKEN' },
      };
      const err = await caught(source.fetch(repo));
      expect(err.code).toBe('GIT_AUTH');
      expect(err.message).toContain(locked.repoUrl('team/web.git'));
      expect(err.message).toContain('never been fetched');
      const everything = `${err.message} ${JSON.stringify(err.details)} ${String(err.cause)} ${log.text()}`;
      expect(everything).not.toContain(wrong);
      expect(everything).not.toContain(Buffer.from(`deploy:${wrong}`).toString('base64'));
      expect(log.lines.some((l) => l.level === 'warn' && JSON.stringify(l.obj).includes('GIT_AUTH'))).toBe(
        true,
      );
    } finally {
      await source.close();
    }
  });

  it('names a missing credentials variable', async () => {
    const source = createGitSource({ dataDir: await tmp('data'), log: captureLogger().logger, env: {} });
    try {
      const repo = {
        url: locked.repoUrl('team/web.git'),
        auth: { usernameEnv: 'GIT_USER', passwordEnv: 'GIT_TOKEN' },
      };
      const err = await caught(source.fetch(repo));
      expect(err.code).toBe('GIT_AUTH');
      expect(err.message).toMatch(/GIT_USER.*auth\.usernameEnv.*not set/);
    } finally {
      await source.close();
    }
  });

  it('kills a fetch from a host that hangs and keeps the last fetched state usable', async () => {
    const server = await startGitHttpServer({ root });
    const dataDir = await tmp('data');
    const repo = { url: server.repoUrl('team/web.git') };
    // A first fetch with the default timeout, so a loaded machine cannot fail it.
    const first = createGitSource({ dataDir, log: captureLogger().logger });
    await first.fetch(repo);
    await first.close();

    const fetches: number[] = [];
    const source = createGitSourceWithHooks(
      {
        dataDir,
        log: captureLogger().logger,
        timeoutMs: 5_000,
      },
      {
        onSpawn: ({ pid, args }) => {
          if (args.includes('fetch')) fetches.push(pid);
        },
      },
    );
    const after = createGitSource({ dataDir, log: captureLogger().logger });
    try {
      server.hang(true);
      const err = await caught(source.fetch(repo));
      expect(err.code).toBe('GIT_TIMEOUT');
      expect(err.message).toContain(server.repoUrl('team/web.git'));
      expect(err.message).toMatch(/stays in use/);
      expect(server.requests.some((r) => r.status === 'hung')).toBe(true);
      const pid = fetches[0];
      expect(pid).toBeDefined();
      // The whole process group (git and its git-remote-http helper) is gone.
      expect(await waitFor(async () => (await liveProcessesInGroup(pid ?? -1)).length === 0)).toBe(true);
      // The mirror still answers from what it fetched before, also after a restart.
      expect(await after.resolve(repo, 'main')).toBe(head);
      expect((await after.treeIds(repo, head, ['apps/web'])).get('apps/web')).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      await source.close();
      await after.close();
      await server.close();
    }
  });

  it('reports a host that is down, naming the repo', async () => {
    const server = await startGitHttpServer({ root });
    const url = server.repoUrl('team/web.git');
    await server.close();
    const source = createGitSource({
      dataDir: await tmp('data'),
      log: captureLogger().logger,
      timeoutMs: 20_000,
    });
    try {
      const err = await caught(source.resolve({ url }, 'main'));
      expect(isWheelhouseError(err, 'GIT_FAILED')).toBe(true);
      expect(err.message).toContain(url);
      expect(err.message).toMatch(/reachable/);
    } finally {
      await source.close();
    }
  });

  it('serves pushes with auth and gzip-encoded request bodies (test server contract)', async () => {
    const clone = await tmp('http-clone');
    await git(clone, 'init', '--quiet', '--initial-branch=main');
    await git(clone, 'fetch', '--quiet', work, 'main');
    await git(clone, 'checkout', '--quiet', '-B', 'main', 'FETCH_HEAD');
    const pushed = await commitFiles(
      clone,
      { 'apps/web/deploy.yaml': 'name: web\nreplicas: 2\n' },
      'scale web',
    );
    const target = locked.repoUrl('team/pushed.git');
    await publish(work, join(root, 'team', 'pushed.git'));
    const header = `http.extraHeader=Authorization: Basic ${Buffer.from(`deploy:${PASSWORD}`).toString('base64')}`;
    await git(clone, '-c', header, 'push', '--quiet', target, 'main');
    expect(await git(join(root, 'team', 'pushed.git'), 'rev-parse', 'main')).toBe(pushed);
    const refused = await git(clone, 'push', '--quiet', target, 'main:other').catch(
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/Authentication failed|could not read Username|401/);

    // Protocol v2 ls-refs, gzip-encoded as git does for large requests.
    const body = gzipSync(Buffer.from('0014command=ls-refs\n0000'));
    const response = await fetch(`${open.repoUrl('team/pushed.git')}/git-upload-pack`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-git-upload-pack-request',
        'Content-Encoding': 'gzip',
        'Git-Protocol': 'version=2',
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`${pushed} refs/heads/main`);
  });

  it('shares one fetch between concurrent callers, whatever spelling of the URL they use', async () => {
    let fetchProcesses = 0;
    const source = createGitSourceWithHooks(
      {
        dataDir: await tmp('data'),
        log: captureLogger().logger,
      },
      {
        onSpawn: ({ args }) => {
          if (args.includes('fetch')) fetchProcesses++;
        },
      },
    );
    try {
      const url = open.repoUrl('team/web.git');
      const spellings = [
        url,
        `${url}/`,
        url.replace(/\.git$/, ''),
        url.replace('http://127.0.0.1', 'HTTP://127.0.0.1'),
      ];
      const results = await Promise.all([...spellings, ...spellings].map((u) => source.fetch({ url: u })));
      expect(fetchProcesses).toBe(1);
      expect(new Set(results.map((r) => r.fetchedAt)).size).toBe(1);
      await source.fetch({ url });
      expect(fetchProcesses).toBe(2);
    } finally {
      await source.close();
    }
  });
});
