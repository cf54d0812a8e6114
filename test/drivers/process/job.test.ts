import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWheelhouseError, type LogLine } from '../../../src/core/index.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { alive, applyContext, desired, processDrivers } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

const node = (script: string) => [process.execPath, '-e', script];

describe('Job', () => {
  it('runs to completion and records the digest it succeeded for', async () => {
    const checkout = await tmp('checkout');
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const job = desired('Job', 'migrate', {
      command: node(
        'console.log("migrating"); console.error("step 2 on stderr"); console.log("done " + process.cwd())',
      ),
    });
    expect(job.hook).toBe('PreSync');
    const { ctx, progress } = applyContext(checkout, { digest: 'tree-1' });
    const outcome = await driver.apply(job, ctx);
    expect(outcome.hookResult).toEqual({
      succeeded: true,
      logTail: ['migrating', 'step 2 on stderr', `done ${checkout}`],
    });
    expect(progress.some((p) => /Job shop\/migrate: running/.test(p))).toBe(true);

    const [live] = await driver.observe('shop');
    expect(live).toMatchObject({
      kind: 'Job',
      appliedDigest: 'tree-1',
      spec: job.spec,
      health: { status: 'Healthy' },
    });

    const lines: LogLine[] = [];
    for await (const line of driver.logs('shop', job.key, { tail: 2, follow: false })) lines.push(line);
    expect(lines.map((l) => l.text)).toEqual(['step 2 on stderr', `done ${checkout}`]);
    expect(lines[0]?.source).toBe('job');
  });

  it('reports a failure with its log tail and keeps the last successful digest', async () => {
    const checkout = await tmp('checkout');
    const stateDir = await tmp('state');
    const driver = makeDriver({ stateDir });
    await driver.start();
    const ok = desired('Job', 'migrate', { command: node('console.log("fine")') });
    await driver.apply(ok, applyContext(checkout, { digest: 'tree-1' }).ctx);

    const failing = desired('Job', 'migrate', {
      command: node(
        'console.log("connecting"); console.error("error: relation users does not exist"); process.exit(2)',
      ),
    });
    const outcome = await driver.apply(failing, applyContext(checkout, { digest: 'tree-2' }).ctx);
    expect(outcome.hookResult?.succeeded).toBe(false);
    expect(outcome.hookResult?.logTail).toEqual([
      'connecting',
      'error: relation users does not exist',
      '[wheelhouse] exited with code 2',
    ]);
    const [live] = await driver.observe('shop');
    expect(live?.appliedDigest).toBe('tree-1'); // a retry of tree-2 runs it again
    expect(live?.health.status).toBe('Degraded');
    expect(live?.health.message).toMatch(/relation users does not exist/);

    // The result is recorded on disk with its tail.
    const [file] = await readdir(join(stateDir, 'resources'));
    const record = JSON.parse(await readFile(join(stateDir, 'resources', file ?? ''), 'utf8'));
    expect(record.lastRun).toMatchObject({ digest: 'tree-2', succeeded: false, exitCode: 2 });
    expect(record.appliedDigest).toBe('tree-1');
  });

  it('kills a Job that runs past timeoutSeconds, with its whole process group', async () => {
    const checkout = await tmp('checkout');
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    // The job starts a grandchild; both must be gone after the timeout.
    const job = desired('Job', 'hang', {
      command: node(
        'const c = require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {stdio: "ignore"});' +
          'console.log("child " + c.pid); setInterval(() => {}, 1000)',
      ),
      timeoutSeconds: 0.5,
    });
    const outcome = await driver.apply(job, applyContext(checkout).ctx);
    expect(outcome.hookResult?.succeeded).toBe(false);
    const tail = outcome.hookResult?.logTail ?? [];
    expect(tail.at(-1)).toBe('[wheelhouse] timed out after 0.5s and was killed');
    const grandchild = Number(/child (\d+)/.exec(tail.join('\n'))?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(false);
    const [live] = await driver.observe('shop');
    expect(live?.appliedDigest).toBeUndefined();
  });

  it('reports a Job whose program does not exist as a failed hook', async () => {
    const checkout = await tmp('checkout');
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const job = desired('Job', 'missing', { command: ['wheelhouse-no-such-tool', 'ci'], phase: 'PostSync' });
    expect(job.hook).toBe('PostSync');
    const outcome = await driver.apply(job, applyContext(checkout).ctx);
    expect(outcome.hookResult?.succeeded).toBe(false);
    expect(outcome.hookResult?.logTail.join('\n')).toMatch(/"wheelhouse-no-such-tool" was not found/);
  });

  it('stops a Job when the sync is cancelled', async () => {
    const checkout = await tmp('checkout');
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    const job = desired('Job', 'long', {
      command: node('console.log("pid " + process.pid); setInterval(() => {}, 1000)'),
    });
    const { ctx, abort } = applyContext(checkout);
    const pending = driver.apply(job, ctx);
    const pid = await waitFor('the Job to print its pid', async () => {
      for await (const line of driver.logs('shop', job.key, { tail: 1, follow: false })) {
        const found = Number(/pid (\d+)/.exec(line.text)?.[1] ?? 0);
        if (found) return found;
      }
      return undefined;
    });
    abort.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'HOOK_FAILED')).toBe(true);
    expect(alive(pid)).toBe(false);
  });

  // Security review, issue 12 item 13: a Job wrote job.log itself, so between two supervisor passes
  // a flood took it far past logMaxBytes. Through the log pump no file is ever above the bound.
  it('holds logMaxBytes for job.log and its copies while a Job floods both streams', async () => {
    const checkout = await tmp('checkout');
    const stateDir = await tmp('state');
    const limit = 32 * 1024;
    const driver = makeDriver({ stateDir, options: { logMaxBytes: limit, logMaxFiles: 2 } });
    await driver.start();
    const job = desired('Job', 'flood', {
      command: node(
        "const fs = require('node:fs'); const pad = 'x'.repeat(100); for (let i = 0; i < 20000; i++) fs.writeSync(i % 3 ? 1 : 2, 'line ' + i + ' ' + pad + '\\n'); process.stdout.write('tail without newline')",
      ),
    });
    const pending = driver.apply(job, applyContext(checkout).ctx);
    const logDir = await waitFor('the Job log directory', async () => {
      const [dir] = await readdir(join(stateDir, 'logs')).catch(() => []);
      return dir === undefined ? undefined : join(stateDir, 'logs', dir);
    });
    let finished = false;
    void pending.finally(() => {
      finished = true;
    });
    const sizes = async () => {
      const found: Record<string, number> = {};
      for (const name of await readdir(logDir)) {
        found[name] = await stat(join(logDir, name)).then(
          (s) => s.size,
          () => 0, // rotated away meanwhile
        );
      }
      return found;
    };
    // Sample every file while the Job writes about 2.2 MiB: none may ever be above the limit.
    while (!finished) {
      for (const [name, size] of Object.entries(await sizes())) expect(size, name).toBeLessThanOrEqual(limit);
    }
    const outcome = await pending;
    expect(outcome.hookResult?.succeeded).toBe(true);
    for (const [name, size] of Object.entries(await sizes())) expect(size, name).toBeLessThanOrEqual(limit);
    expect(Object.keys(await sizes()).sort()).toEqual(['job.log', 'job.log.1', 'job.log.2']);
    // The last lines, the one without a newline included, are in the result and the logs API.
    expect(outcome.hookResult?.logTail.at(-1)).toBe('tail without newline');
    const lines: LogLine[] = [];
    for await (const line of driver.logs('shop', job.key, { tail: 2, follow: false })) lines.push(line);
    expect(lines.map((l) => l.text)).toEqual([
      expect.stringMatching(/^line 19999 x{100}$/),
      'tail without newline',
    ]);
    expect(lines[1]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
