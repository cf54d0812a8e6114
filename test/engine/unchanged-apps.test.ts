import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Driver, silentLogger } from '../../src/core/index.js';
import { createProcessDriver, processDriverKinds } from '../../src/drivers/process/index.js';
import { startHarness } from '../support/engine-harness.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/*
 * Issue 18: a poll costs nothing for an app that was in sync and that neither Git nor the target
 * changed since (the process driver's `liveVersion`); a person's refresh, anything the driver
 * notices, and a full check every five minutes still observe it.
 */
const tmp = tempDirs();
const file = (name: string, path: string, content: string) =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: ${name} }\nspec: { path: ${path}, content: "${content}" }\n`;

describe('checks of unchanged apps', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let driver: Driver;
  let root: string;
  let clock = Date.now();
  const observed = new Map<string, number>();

  beforeAll(async () => {
    root = await tmp('files');
    driver = createProcessDriver({
      target: 'local',
      options: { root, pollIntervalMs: 100 },
      stateDir: await tmp('state'),
      log: silentLogger,
      env: process.env,
    });
    const observe = driver.observe.bind(driver);
    driver.observe = (app) => {
      observed.set(app, (observed.get(app) ?? 0) + 1);
      return observe(app);
    };
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n  - name: docs\n    path: apps/docs\n',
        'apps/web/motd.yaml': file('motd', 'web/motd.txt', 'web v1'),
        'apps/docs/readme.yaml': file('readme', 'docs/README', 'docs v1'),
      },
      driver,
      kinds: processDriverKinds,
      engine: { now: () => new Date(clock) },
    });
  });

  afterAll(async () => {
    await h?.close();
    await driver?.start();
    await driver?.teardown?.();
    await driver?.stop();
  });

  it('skips observing an unchanged app in sync, and observes the one a person refreshed', async () => {
    expect(h.engine.status('docs').syncStatus).toBe('Synced');
    await h.refresh('web'); // a first full check of both after the syncs
    observed.clear();
    await h.refresh('web');
    expect(observed.get('web')).toBe(1);
    expect(observed.get('docs')).toBeUndefined();
  });

  it('still sees and heals a hand edit the driver noticed', async () => {
    await writeFile(join(root, 'docs/README'), 'edited by hand');
    await waitFor('the edit healed', async () =>
      (await readFile(join(root, 'docs/README'), 'utf8')) === 'docs v1' ? true : undefined,
    );
    expect(observed.get('docs')).toBeGreaterThan(0);
    expect(h.engine.status('docs').syncStatus).toBe('Synced');
  });

  it('observes every app again once five minutes passed since its last full check', async () => {
    await h.refresh('web');
    observed.clear();
    await h.refresh('web');
    expect(observed.get('docs')).toBeUndefined();
    clock += 5 * 60_000 + 1;
    await h.refresh('web');
    expect(observed.get('docs')).toBe(1);
  });

  it('observes an app whose tree changed in Git', async () => {
    await h.refresh('web');
    observed.clear();
    await h.commit({ 'apps/docs/readme.yaml': file('readme', 'docs/README', 'docs v2') }, 'docs v2');
    await h.refresh('web');
    expect(observed.get('docs')).toBeGreaterThan(0);
    expect(await readFile(join(root, 'docs/README'), 'utf8')).toBe('docs v2');
  });
});
