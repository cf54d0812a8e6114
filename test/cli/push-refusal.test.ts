// Issue 14 item 5: write-back into a working copy made with `git init` failed on push, at the first
// chat command. `up` now says so at start, with a command that fixes it.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/build.js';
import { createRepo, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import type { WheelhouseProcess } from '../support/wheelhouse-process.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

const run = promisify(execFile);
const tmp = tempDirs();
const running: UpServer[] = [];

beforeAll(async () => {
  await ensureBuilt();
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

async function startOn(repo: string): Promise<WheelhouseProcess> {
  const server = await startUp(tmp, repo);
  running.push(server);
  return server.up;
}

/** A push from a clone, as write-back does it: whether git accepts it. */
async function pushAccepted(repo: string): Promise<boolean> {
  const clone = await tmp('clone');
  await run('git', ['clone', '--quiet', repo, clone]);
  await writeFile(join(clone, 'note.txt'), `${Date.now()}\n`);
  await git(clone, 'add', 'note.txt');
  await git(clone, 'commit', '-qm', 'a write-back commit');
  return git(clone, 'push', '--quiet', 'origin', 'HEAD:main').then(
    () => true,
    () => false,
  );
}

const FILES = { 'wheelhouse.yaml': 'apps: []\n' };

describe('`up` on a working copy with the followed branch checked out', () => {
  it('warns at start with a command that makes pushes work', async () => {
    const repo = await tmp('repo');
    await createRepo(repo, FILES);
    expect(await pushAccepted(repo)).toBe(false);

    const up = await startOn(repo);
    const warning = await up.waitForMessage(/^write-back will fail: /);
    expect(warning).toContain(
      `${repo} is a working copy with main checked out, and git refuses pushes to it`,
    );
    const command = /Fix it with: (git -C \S+ config receive\.denyCurrentBranch updateInstead)/.exec(
      warning,
    )?.[1];
    expect(command).toBe(`git -C ${repo} config receive.denyCurrentBranch updateInstead`);
    expect(warning).toContain(`git clone --bare ${repo} ${repo}.git, then wheelhouse up --repo ${repo}.git`);

    // The command as printed fixes it.
    await run('sh', ['-c', command ?? 'false']);
    expect(await pushAccepted(repo)).toBe(true);
  });

  it('says nothing when pushes are accepted: updateInstead, or a bare repository', async () => {
    const repo = await tmp('repo');
    await createRepo(repo, FILES);
    await git(repo, 'config', 'receive.denyCurrentBranch', 'updateInstead');
    const bare = `${await tmp('bare')}/control.git`;
    await run('git', ['clone', '--quiet', '--bare', repo, bare]);
    for (const path of [repo, bare]) {
      const up = await startOn(path);
      await up.waitForMessage(/^Wheelhouse is up: /);
      expect(up.messages.filter((m) => /write-back will fail/.test(m))).toEqual([]);
    }
  });
});
