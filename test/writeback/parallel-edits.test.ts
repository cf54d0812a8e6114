import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/index.js';
import {
  createWriteBack,
  setYamlValue,
  type WriteBackRequest,
  wheelhouseTrailers,
} from '../../src/writeback/index.js';
import { createWriteBackWithHooks } from '../../src/writeback/write-back.js';
import { git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { useServedRepos } from './served-repos.js';

/** Issue 12, item 12: write-backs that a person would not call conflicting all land. */
describe('write-back under load', () => {
  const tmp = tempDirs();
  const WEB = `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: web }
spec:
  command: ["node", "server.js"]
  env:
    PORT: "8080"  # the listen port
  replicas: 1
`;
  const repos = useServedRepos(tmp);
  /** A bare repo served over smart HTTP, seeded with the web manifest; returns its URL and a clone to push from. */
  const servedRepo = () => repos.served({ 'apps/web/web.yaml': WEB });

  function setEnv(url: string, who: string, key: string, value: string): WriteBackRequest {
    return {
      repo: { url },
      branch: 'main',
      protected: false,
      pushBranch: `wheelhouse/set-env-${who}`,
      author: { name: who, email: `${who}@example.test` },
      message: {
        subject: `web: set env ${key} on process web`,
        trailers: wheelhouseTrailers({ actor: `web:${who}`, request: `req-${who}` }),
      },
      async edit(worktree) {
        const file = join(worktree.dir, 'apps/web/web.yaml');
        const text = await readFile(file, 'utf8');
        const next = setYamlValue(text, 'apps/web/web.yaml', 0, ['spec', 'env', key], value);
        if (next === text) return false;
        await writeFile(file, next);
        return true;
      },
    };
  }

  // Repro: 20 parallel `set env` with different keys; 19 failed with "someone changed the same
  // lines meanwhile" (that someone was Wheelhouse itself).
  it('lands 20 parallel set env with different keys, each its own commit by its own actor', async () => {
    const { url, bare } = await servedRepo();
    const writeBack = createWriteBack({ git: repos.source(), dataDir: await tmp('wb'), log: silentLogger });
    const people = Array.from({ length: 20 }, (_, i) => `user${i}`);
    const results = await Promise.allSettled(
      people.map((who, i) => writeBack.commit(setEnv(url, who, `KEY_${i}`, `value-${i}`))),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const authors = (
      await git(bare, 'log', '--format=%an|%(trailers:key=Wheelhouse-Actor,valueonly)', '-20', 'main')
    )
      .split('\n')
      .filter(Boolean)
      .map((line) => line.trim())
      .reverse();
    expect(authors).toEqual(people.map((who) => `${who}|web:${who}`));
    const manifest = await git(bare, 'show', 'main:apps/web/web.yaml');
    for (let i = 0; i < 20; i += 1) expect(manifest).toContain(`KEY_${i}: value-${i}`);
    expect(manifest).toContain('PORT: "8080"  # the listen port');
  });

  // Issue 17: replicas share no process, so nothing queues their pushes; each is rejected when the
  // other pushed first, and makes its edit again on the new head (push-loop.ts).
  it('lands every set env of two replicas writing back to the same repo at once, none lost', async () => {
    const { url, bare } = await servedRepo();
    const replicas = [
      createWriteBack({ git: repos.source(), dataDir: await tmp('wb-a'), log: silentLogger }),
      createWriteBack({ git: repos.source(), dataDir: await tmp('wb-b'), log: silentLogger }),
    ];
    const people = Array.from({ length: 6 }, (_, i) => `user${i}`);
    const results = await Promise.allSettled(
      people.map((who, i) => replicas[i % 2]?.commit(setEnv(url, who, `KEY_${i}`, `value-${i}`))),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const authors = (
      await git(bare, 'log', '--format=%an|%(trailers:key=Wheelhouse-Actor,valueonly)', 'main')
    )
      .split('\n')
      .filter((line) => line.startsWith('user'))
      .map((line) => line.trim());
    expect([...authors].sort()).toEqual(people.map((who) => `${who}|web:${who}`).sort());
    // Each replica's own commits keep the order they were asked in.
    for (const parity of [0, 1]) {
      const own = people.filter((_, i) => i % 2 === parity).map((who) => `${who}|web:${who}`);
      expect(authors.filter((a) => own.includes(a)).reverse()).toEqual(own);
    }
    const manifest = await git(bare, 'show', 'main:apps/web/web.yaml');
    for (let i = 0; i < people.length; i += 1) expect(manifest).toContain(`KEY_${i}: value-${i}`);
  });

  it('makes the edit again on top of a neighbouring line another writer pushed meanwhile', async () => {
    const { url, bare, clone } = await servedRepo();
    const writeBack = createWriteBackWithHooks(
      {
        git: repos.source(),
        dataDir: await tmp('wb'),
        log: silentLogger,
      },
      {
        beforePush: async (attempt) => {
          if (attempt !== 1) return;
          // Another replica (or a person) appends a key to the same env map.
          await writeFile(
            join(clone, 'apps/web/web.yaml'),
            WEB.replace(
              '    PORT: "8080"  # the listen port\n',
              '    PORT: "8080"  # the listen port\n    OTHER: "1"\n',
            ),
          );
          await git(clone, 'commit', '--quiet', '-am', 'add OTHER');
          await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
        },
      },
    );
    const result = await writeBack.commit(setEnv(url, 'alice', 'MINE', 'mine-1'));
    expect(result).toMatchObject({ changed: true, attempts: 2 });
    const manifest = await git(bare, 'show', 'main:apps/web/web.yaml');
    expect(manifest).toContain('OTHER: "1"');
    expect(manifest).toContain('MINE: mine-1');
  });

  it('still refuses when both changed the same line to different values', async () => {
    const { url, clone } = await servedRepo();
    const writeBack = createWriteBackWithHooks(
      {
        git: repos.source(),
        dataDir: await tmp('wb'),
        log: silentLogger,
      },
      {
        beforePush: async (attempt) => {
          if (attempt !== 1) return;
          await writeFile(join(clone, 'apps/web/web.yaml'), WEB.replace('"8080"', '"9090"'));
          await git(clone, 'commit', '--quiet', '-am', 'port 9090');
          await git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
        },
      },
    );
    await expect(writeBack.commit(setEnv(url, 'alice', 'PORT', '7070'))).rejects.toMatchObject({
      code: 'WRITEBACK_CONFLICT',
      message: expect.stringContaining('same lines'),
    });
  });
});
