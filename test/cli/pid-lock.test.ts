import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimPidLock } from '../../src/cli/up/pid-lock.js';
import type { WheelhouseError } from '../../src/core/index.js';
import { processStartTime } from '../../src/util/index.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/** Issue 12, item 17: the data dir's pid lock is atomic and only a live Wheelhouse holds it. */
describe('data dir pid lock', () => {
  const tmp = tempDirs();
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  async function otherProgram(args: string[] = []): Promise<number> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], {
      stdio: 'ignore',
    });
    children.push(child);
    const pid = child.pid ?? 0;
    await waitFor('the other program to run', () => processStartTime(pid));
    return pid;
  }

  // Repro: a stale pid file whose pid now belongs to another program blocked start-up.
  it('takes over a pid file (old plain format) whose pid now belongs to another program', async () => {
    const dir = await tmp('pid');
    const file = join(dir, 'wheelhouse.pid');
    await writeFile(file, `${await otherProgram()}\n`);
    const release = await claimPidLock(file, dir);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
  });

  it('takes over a pid file whose pid was reused by a process started at another time', async () => {
    const dir = await tmp('pid');
    const file = join(dir, 'wheelhouse.pid');
    const pid = await otherProgram(['wheelhouse']);
    await writeFile(file, JSON.stringify({ pid, startTime: '1', token: 'old' }));
    const release = await claimPidLock(file, dir);
    await release();
  });

  it('refuses while the recorded process (same pid, same start time) is alive', async () => {
    const dir = await tmp('pid');
    const file = join(dir, 'wheelhouse.pid');
    const pid = await otherProgram();
    await writeFile(file, JSON.stringify({ pid, startTime: processStartTime(pid), token: 'running' }));
    await expect(claimPidLock(file, dir)).rejects.toThrow(
      new RegExp(`another Wheelhouse \\(pid ${pid}\\) is running on data dir`),
    );
  });

  it('refuses an old plain pid file of a live process whose command line is a wheelhouse', async () => {
    const dir = await tmp('pid');
    const file = join(dir, 'wheelhouse.pid');
    await writeFile(file, `${await otherProgram(['wheelhouse', 'up'])}\n`);
    await expect(claimPidLock(file, dir)).rejects.toThrow(/another Wheelhouse/);
  });

  it('takes over an empty pid file (a start killed between creating and writing it)', async () => {
    const dir = await tmp('pid');
    const file = join(dir, 'wheelhouse.pid');
    await writeFile(file, '');
    await (await claimPidLock(file, dir))();
  });

  it('gives the lock to exactly one of ten claims at once, and release frees it', async () => {
    const dir = await tmp('pid');
    const file = join(dir, 'wheelhouse.pid');
    await writeFile(file, '999999999\n'); // stale: no such process
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => claimPidLock(file, dir)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as WheelhouseError).code).toBe('CONFLICT');
    }
    await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
    await (await claimPidLock(file, dir))();
  });
});
