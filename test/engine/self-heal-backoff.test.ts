import { afterAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/core/index.js';
import { createProcessDriver, processDriverKinds } from '../../src/drivers/process/index.js';
import { groupMembers } from '../../src/drivers/process/proc-stat.js';
import { capturingLogger, fastOptions } from '../drivers/process/support.js';
import { startHarness } from '../support/engine-harness.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const tmp = tempDirs();

/**
 * Issue 12 item 9 through the engine: `sh -c "sleep 1 & sleep 2 & exit 0"` was restarted 153
 * times in 16 minutes because every sync of the app started the exited replica at once, skipping
 * the crash backoff, and each run left its sleeps behind.
 */
describe('engine syncs of a replica that exits at once', () => {
  let driver: Driver | undefined;
  let close: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await close?.();
    await driver?.start();
    await driver?.teardown?.();
    await driver?.stop();
  });

  it('leave it to the crash backoff and leave no orphans behind', async () => {
    const { log, lines } = capturingLogger();
    driver = createProcessDriver({
      target: 'local',
      // After one exit the next start is a minute away: only a sync that skips the backoff starts it sooner.
      options: { ...fastOptions, backoffInitialMs: 60_000, backoffMaxMs: 60_000 },
      stateDir: await tmp('state'),
      log,
      env: process.env,
    });
    const h = await startHarness(tmp, {
      files: {
        // A short sync timeout: a sync that leaves the replica to its backoff waits for health that long.
        'wheelhouse.yaml': 'apps:\n  - name: quitter\n    path: apps/quitter\n    sync: { timeout: 2s }\n',
        'apps/quitter/p.yaml':
          'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: quitter }\nspec:\n  command: ["sh", "-c", "sleep 300 & sleep 300 & exit 0"]\n  stopTimeoutSeconds: 1\n',
      },
      driver,
      kinds: processDriverKinds,
      // Failed syncs are not retried on their own here: the test asks for each sync itself.
      engine: { retryBaseMs: 3_600_000 },
    });
    close = () => h.close();
    const started = () =>
      lines.filter((l) => l.includes('started replica')).map((l) => Number(/"pid":(\d+)/.exec(l)?.[1]));

    await waitFor('the restart to be scheduled', async () =>
      /restarting in \d+s/.test(
        JSON.stringify(await driver?.health('quitter', 'local/Process/quitter/quitter')),
      ),
    );
    // What self-heal, a retry or a person asks for: syncs of the same revision.
    for (let i = 0; i < 3; i++) {
      await (await h.engine.sync('quitter', { actor: 'wheelhouse' })).done;
    }

    expect(started()).toHaveLength(1);
    const [pid = 0] = started();
    await waitFor(
      'the sleeps of the exited replica to be stopped',
      () => groupMembers(pid, null).length === 0,
    );
  });
});
