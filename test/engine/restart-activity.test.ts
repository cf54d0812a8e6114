import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/engine/event-bus.js';
import { createRestartActivity, ordinal, RESTART_ACTION } from '../../src/engine/restart-activity.js';
import {
  applyContext,
  capturingLogger,
  desired,
  processDrivers,
  writePrograms,
} from '../drivers/process/support.js';
import { sqliteStores } from '../support/sqlite-store.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const tmp = tempDirs();
const makeDriver = processDrivers();
const openStore = sqliteStores();

describe('supervisor restarts in the app’s activity', () => {
  it('records a restart with its cause and count, folding a crash loop into one entry per episode', async () => {
    const store = await openStore();
    const checkout = await tmp('checkout');
    await writePrograms(checkout);
    const driver = makeDriver({ stateDir: await tmp('state') });
    await driver.start();
    let clock = Date.parse('2026-12-04T12:00:00Z');
    const events = createEventBus({ onListenerError: () => {} });
    const published: string[] = [];
    events.subscribe((e) => published.push(e.type));
    driver.watch?.(
      createRestartActivity({ store, events, now: () => new Date(clock), log: capturingLogger().log }),
    );
    const worker = desired('Process', 'worker', {
      command: [process.execPath, 'ticker.cjs'],
      env: { TICK_MS: '1000' },
    });
    await driver.apply(worker, applyContext(checkout).ctx);

    const entries = async () =>
      (await store.listAudit({ app: 'shop', limit: 50 })).filter((e) => e.action === RESTART_ACTION);
    const killAndWait = async (restarts: number) => {
      const live = (await driver.observe('shop')).find((r) => r.key === worker.key);
      const pid = live?.children?.[0]?.pid;
      if (pid === undefined) throw new Error('no running replica');
      process.kill(pid, 'SIGKILL');
      await waitFor(`restart ${restarts}`, async () => {
        const node = (await driver.observe('shop')).find((r) => r.key === worker.key)?.children?.[0];
        return node?.restarts === restarts && node.pid !== undefined && node.pid !== pid;
      });
    };

    await killAndWait(1);
    await waitFor('the first entry', async () => (await entries()).length === 1);
    const [first] = await entries();
    expect(first).toMatchObject({
      actor: 'wheelhouse:supervisor',
      app: 'shop',
      result: 'worker replica-0 restarted after it was killed by SIGKILL (1st restart)',
    });

    // Two more within the episode: folded, no new entry.
    await killAndWait(2);
    await killAndWait(3);
    expect(await entries()).toHaveLength(1);

    // After the episode, the next restart opens a new entry that says what was folded.
    clock += 6 * 60_000;
    await killAndWait(4);
    await waitFor('the second entry', async () => (await entries()).length === 2);
    const newest = (await entries()).sort((a, b) => b.seq - a.seq)[0];
    expect(published.filter((t) => t === 'audit.appended')).toHaveLength(2);
    expect(newest?.result).toBe(
      'worker replica-0 restarted after it was killed by SIGKILL (4th restart; 2 more restart(s) folded before)',
    );
  });

  it('words counts as ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});
