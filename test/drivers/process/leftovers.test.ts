import { describe, expect, it } from 'vitest';
import { groupMembers, readProcStat } from '../../../src/drivers/process/proc-stat.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { applyContext, capturingLogger, desired, processDrivers, replicasOf } from './support.js';

const tmp = tempDirs();
const makeDriver = processDrivers();

/** Pids of the replicas the driver started, from its "started replica" log lines. */
function startedPids(lines: readonly string[]): number[] {
  return lines
    .filter((line) => line.includes('started replica'))
    .map((line) => Number(/"pid":(\d+)/.exec(line)?.[1]))
    .filter((pid) => pid > 0);
}

/** Every live process whose group is `pgid` (the leader's pid, alive or not). */
function anyInGroup(pgid: number): number[] {
  return groupMembers(pgid, readProcStat(pgid)?.startTime ?? 'leader gone');
}

describe('issue 12 item 9: sh -c "sleep 1 & sleep 2 & exit 0" restarted 153 times and left 306 orphans', () => {
  it('stops what a replica left in its process group when its leader exits, at every restart', async () => {
    const { log, lines } = capturingLogger();
    const driver = makeDriver({ stateDir: await tmp('state'), log });
    await driver.start();
    const spawner = desired('Process', 'spawner', {
      command: ['sh', '-c', 'sleep 300 & sleep 300 & exit 0'],
      stopTimeoutSeconds: 1,
    });
    await driver.apply(spawner, applyContext(await tmp('checkout')).ctx).catch(() => undefined);
    // Two runs (the first and a restart) each left two sleeps behind; none of them may survive.
    const pids = await waitFor('two starts of the replica', () => {
      const started = startedPids(lines);
      return started.length >= 2 ? started : undefined;
    });
    for (const pid of pids.slice(0, 2)) {
      await waitFor(
        `the processes group ${pid} left behind to be stopped`,
        () => anyInGroup(pid).length === 0,
      );
    }
    expect(
      lines.some((line) => /stopped what replica 0 of Process shop\/spawner left running/.test(line)),
    ).toBe(true);
  });

  it('a re-apply of the same spec (self-heal) waits for the crash backoff instead of restarting at once', async () => {
    const { log, lines } = capturingLogger();
    const driver = makeDriver({
      stateDir: await tmp('state'),
      log,
      // One crash puts the next start a minute away: only a bypass of the backoff starts it sooner.
      options: { backoffInitialMs: 60_000, backoffMaxMs: 60_000 },
    });
    await driver.start();
    const quitter = desired('Process', 'quitter', { command: ['sh', '-c', 'exit 0'] });
    const checkout = await tmp('checkout');
    await driver.apply(quitter, applyContext(checkout).ctx).catch(() => undefined);
    await waitFor('the restart to be scheduled', async () =>
      /restarting in \d+s/.test((await driver.health('shop', quitter.key)).message ?? ''),
    );
    const [live] = await driver.observe('shop');
    expect(live?.drift).toBeUndefined(); // nothing for self-heal to do: the supervisor restarts it

    for (let i = 0; i < 3; i++) {
      const { ctx, progress } = applyContext(checkout);
      await driver.apply(quitter, ctx);
      expect(progress.join('\n')).toMatch(/the supervisor restarts it in \d+s, not this sync/);
    }
    expect(startedPids(lines)).toHaveLength(1);
    const [replica] = await replicasOf(driver, quitter.key);
    expect(replica?.running).toBe(false);
    expect(replica?.lastBackoffMs).toBe(60_000);
  });
});
