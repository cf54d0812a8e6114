import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { applyContext, desired, processDrivers, writePrograms } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

// Issue 15: the process driver takes its clock from its deps, like the engine, so what it records
// and the countdowns it shows follow the clock a test (or the engine) gives it.
describe('the process driver clock', () => {
  it('records exits and counts down restarts by the injected clock', async () => {
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const stateDir = await tmp('state');
    const clock = { now: new Date('2030-01-01T00:00:00Z') };
    const driver = makeDriver({
      stateDir,
      now: () => new Date(clock.now.getTime()),
      // The restart itself waits a minute of real time: only the clock moves in this test.
      options: { backoffInitialMs: 60_000, backoffMaxMs: 60_000 },
    });
    await driver.start();
    const web = desired('Process', 'web', {
      command: [process.execPath, 'server.cjs'],
      env: { CRASH_AT_START: 'fatal: no config' },
      restart: 'always',
    });
    await driver.apply(web, applyContext(checkout).ctx).catch(() => {}); // it never gets healthy

    const first = await waitFor('a restart scheduled a minute out', async () => {
      const health = await driver.health('shop', web.key);
      return /restarting in 60s/.test(health.message ?? '') ? health : undefined;
    });
    expect(first.message).toMatch(/exited with code 1/);
    clock.now = new Date('2030-01-01T00:00:50Z');
    expect((await driver.health('shop', web.key)).message).toMatch(/restarting in 10s/);

    const state = await waitFor('the exit in the saved record', async () => {
      const [record] = await readdir(join(stateDir, 'resources'));
      const saved = JSON.parse(await readFile(join(stateDir, 'resources', record ?? ''), 'utf8')) as {
        replicas: { startedAt: string; lastExit?: { at: string } }[];
      };
      return saved.replicas[0]?.lastExit ? saved : undefined;
    });
    expect(state.replicas[0]?.startedAt).toBe('2030-01-01T00:00:00.000Z');
    expect(state.replicas[0]?.lastExit?.at).toBe('2030-01-01T00:00:00.000Z');
  });
});
