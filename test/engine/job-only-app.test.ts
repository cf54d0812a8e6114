// Issue 14, item 6: an app whose only resource is a Job that succeeded showed
// "Missing (the app has no resources on its target)": Jobs are hooks, and hooks were left out of
// the app's health even when they are all the app has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Driver, silentLogger } from '../../src/core/index.js';
import { createProcessDriver, processDriverKinds } from '../../src/drivers/process/index.js';
import { fastOptions } from '../drivers/process/support.js';
import { startHarness } from '../support/engine-harness.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs();

const job = (script: string) => `apiVersion: wheelhouse/v1
kind: Job
metadata: { name: migrate }
spec:
  command: ["node", "-e", ${JSON.stringify(script)}]
`;

describe('an app made of one Job', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let driver: Driver | undefined;

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
        'wheelhouse.yaml': 'apps:\n  - name: migrations\n    path: apps/migrations\n',
        'apps/migrations/migrate.yaml': job("console.log('schema up to date')"),
      },
      driver,
      kinds: processDriverKinds,
    });
  });

  afterAll(async () => {
    await h?.close();
    await driver?.start();
    await driver?.teardown?.();
    await driver?.stop();
  });

  it('is Healthy once its Job succeeded (was: Missing, "the app has no resources")', () => {
    const status = h.engine.status('migrations');
    expect(status.lastSync?.result).toBe('succeeded');
    expect(status.health).toEqual({ status: 'Healthy', message: 'Job migrate is Healthy' });
  });

  it('is Degraded with the log tail when the Job failed', async () => {
    await h.commit(
      { 'apps/migrations/migrate.yaml': job("console.error('table locked'); process.exit(3)") },
      'a migration that fails',
    );
    await h.refresh('migrations');
    const { health } = h.engine.status('migrations');
    expect(health.status).toBe('Degraded');
    expect(health.message).toContain('table locked');
  });
});
