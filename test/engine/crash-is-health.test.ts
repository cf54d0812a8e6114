// Issue 14, item 7: a crash loop was reported as "drift ... changed by someone or something
// outside Git". A process that exits or crashes by itself is the app's health (restarting, crash
// loop), never drift: nothing outside Git changed the target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Driver, silentLogger, type WheelhouseEvent } from '../../src/core/index.js';
import { createProcessDriver, processDriverKinds } from '../../src/drivers/process/index.js';
import { fastOptions } from '../drivers/process/support.js';
import { startHarness } from '../support/engine-harness.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

const tmp = tempDirs();

const crashing = (restart: string) => `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: worker }
spec:
  command: ["node", "-e", "console.error('cannot reach the queue'); process.exit(1)"]
  restart: ${restart}
`;

describe('a crash is health, not drift', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let driver: Driver | undefined;
  const events: WheelhouseEvent[] = [];

  beforeAll(async () => {
    driver = createProcessDriver({
      target: 'local',
      options: { root: await tmp('files'), ...fastOptions },
      stateDir: await tmp('state'),
      log: silentLogger,
      env: process.env,
    });
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': 'apps:\n  - name: worker\n    path: apps/worker\n',
        'apps/worker/readme.yaml':
          'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec: { path: worker/README, content: "hi" }\n',
      },
      driver,
      kinds: processDriverKinds,
    });
    h.engine.events.subscribe((event) => {
      events.push(event);
    });
  });

  afterAll(async () => {
    await h?.close();
    await driver?.start();
    await driver?.teardown?.();
    await driver?.stop();
  });

  it('a crash loop is Degraded (crash loop) and Synced, with no drift announced', async () => {
    await h.commit({ 'apps/worker/worker.yaml': crashing('always') }, 'a worker that crashes');
    await h.refresh('worker');
    await waitFor('the worker to be reported as a crash loop', async () => {
      await h.refresh('worker');
      const { health } = h.engine.status('worker');
      return health.status === 'Degraded' && /crash loop/.test(health.message ?? '') ? health : undefined;
    });
    expect(events.filter((e) => e.type === 'drift.detected')).toEqual([]);
    const status = h.engine.status('worker');
    expect(status.syncStatus).toBe('Synced');
  });

  it('a process that exited and is not restarted (restart: never) is health too, not drift', async () => {
    await h.commit({ 'apps/worker/worker.yaml': crashing('never') }, 'no restarts');
    await h.refresh('worker');
    const health = await waitFor('the worker to be reported as not running', async () => {
      await h.refresh('worker');
      const { health } = h.engine.status('worker');
      return /not running: exited with code 1/.test(health.message ?? '') ? health : undefined;
    });
    expect(health.status).toBe('Missing');
    expect(events.filter((e) => e.type === 'drift.detected')).toEqual([]);
    expect(h.engine.status('worker').syncStatus).toBe('Synced');
  });
});
