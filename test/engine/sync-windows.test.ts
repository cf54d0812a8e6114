import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActions, createOperations } from '../../src/access/index.js';
import { type Driver, silentLogger } from '../../src/core/index.js';
import { processDriverKinds } from '../../src/drivers/process/index.js';
import { startHarness } from '../support/engine-harness.js';
import { fileAppsDriver, fileManifest, stopWorkloads } from '../support/file-apps.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Sync windows through the engine with real git and the process driver, on an injected clock
 * (no test waits for a real window): inside a deny window automatic syncs wait and a person's
 * sync is refused naming the window unless forced; when the window closes the app catches up.
 */
const tmp = tempDirs();

const file = fileManifest;

const CONFIG = `apps:
  - { name: web, path: apps/web, environment: prod }
  - { name: docs, path: apps/docs, environment: dev }
windows:
  - name: night
    kind: deny
    schedule: "0 22 * * *"
    duration: 8h
    timeZone: Europe/Berlin
    environments: [prod]
people:
  - { name: Alice, email: alice@example.com, ids: ["web:alice"] }
  - { name: Bob, email: bob@example.com, ids: ["web:bob"] }
access:
  roles: { deployer: [read, sync] }
  bindings:
    - { subjects: [Alice], role: admin }
    - { subjects: [Bob], role: deployer }
`;

describe('sync windows', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let driver: Driver | undefined;
  // Noon in Berlin (CET, UTC+1): outside the night window.
  let clock = new Date('2026-03-03T11:00:00Z');

  beforeAll(async () => {
    driver = await fileAppsDriver(tmp);
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': CONFIG,
        'apps/web/f.yaml': file('web', 'v1'),
        'apps/docs/f.yaml': file('docs', 'v1'),
      },
      driver,
      kinds: processDriverKinds,
      engine: { now: () => clock },
    });
  });

  afterAll(async () => {
    await h?.close();
    await stopWorkloads(driver);
  });

  const runs = (app: string) => h.engine.status(app).revision;

  it('syncs by itself outside the window', async () => {
    await waitFor('web to be synced', () => runs('web') === h.head && runs('docs') === h.head);
    expect(h.engine.status('web').waiting).toBeUndefined();
  });

  it('inside a deny window: the automatic sync waits, naming the window; other apps go on', async () => {
    clock = new Date('2026-03-03T22:30:00Z'); // 23:30 in Berlin
    const sha = await h.commit(
      { 'apps/web/f.yaml': file('web', 'v2'), 'apps/docs/f.yaml': file('docs', 'v2') },
      'web and docs v2',
    );
    await h.refresh('web');
    await waitFor('docs to sync', () => runs('docs') === sha);
    await waitFor('web to wait', () => h.engine.status('web').waiting);
    expect(runs('web')).toBe(h.head);
    expect(h.engine.status('web')).toMatchObject({
      syncStatus: 'OutOfSync',
      waiting: {
        on: [],
        window: 'night',
        blocked: false,
        revision: sha,
        // 22:00 Berlin + 8h = 06:00 Berlin = 05:00 UTC.
        until: '2026-03-04T05:00:00.000Z',
        reason:
          'automatic syncs wait: the deny window night ("0 22 * * *" Europe/Berlin for 8h) is open until 2026-03-04T05:00:00.000Z',
      },
    });
  });

  it("refuses a person's sync inside the window, naming it; a dry run still works", async () => {
    await expect(h.engine.sync('web', { actor: 'web:alice' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message:
        'app web was not synced: the deny window night ("0 22 * * *" Europe/Berlin for 8h) is open until 2026-03-04T05:00:00.000Z — sync after it closes, or an admin can force it (`sync web --force`)',
    });
    const dry = await (await h.engine.sync('web', { actor: 'web:alice', dryRun: true })).done;
    expect(dry.dryRun).toBe(true);
    expect(runs('web')).toBe(h.head);
  });

  it('catches up by itself once the window has closed', async () => {
    const sha = h.engine.status('web').desiredRevision;
    clock = new Date('2026-03-04T05:00:00Z'); // 06:00 in Berlin: closed
    await h.refresh('web');
    await waitFor('web to sync after the window', () => runs('web') === sha);
    expect(h.engine.status('web').waiting).toBeUndefined();
    expect((await h.engine.history('web', 1))[0]).toMatchObject({ trigger: 'auto', result: 'succeeded' });
  });

  it('through the actions service: refused naming the window, forced only by an admin, both audited', async () => {
    const actions = createActions({
      config: () => h.engine.config(),
      store: h.store,
      log: silentLogger,
      operations: createOperations({
        engine: h.engine,
        store: h.store,
        source: h.source,
        writeBack: undefined as never, // sync never writes to Git
        controlRepo: { url: h.repoDir, ref: 'main' },
        log: silentLogger,
      }),
    });
    const ask = (actor: string, text: string, force = false) =>
      actions.perform({
        actor,
        command: 'sync',
        args: { app: 'web', ...(force ? { force } : {}) },
        ...(force ? { force } : {}),
        text,
        platform: 'web',
      });
    clock = new Date('2026-03-04T23:00:00Z'); // midnight in Berlin
    const sha = await h.commit({ 'apps/web/f.yaml': file('web', 'v3') }, 'web v3');
    await h.refresh('web');
    await waitFor('web to wait', () => h.engine.status('web').waiting?.revision === sha);

    const plain = await ask('web:bob', 'sync web');
    expect(plain.status).toBe('failed');
    const refusedText = plain.status === 'failed' ? plain.outcome.summary : '';
    expect(refusedText).toContain('the deny window night ("0 22 * * *" Europe/Berlin for 8h) is open');
    const forcedByBob = await ask('web:bob', 'sync web --force', true);
    expect(forcedByBob).toMatchObject({ status: 'refused', code: 'FORBIDDEN' });
    expect(forcedByBob.status === 'refused' ? forcedByBob.reason : '').toContain('admin');
    expect(runs('web')).not.toBe(sha);

    const forced = await ask('web:alice', 'sync web --force', true);
    expect(forced.status).toBe('done');
    const summary = forced.status === 'done' ? forced.outcome.summary : '';
    expect(summary).toContain('forced by web:alice inside the deny window night');
    expect(runs('web')).toBe(sha);
    expect(h.engine.status('web').waiting).toBeUndefined();
    const record = (await h.engine.history('web', 1))[0];
    expect(record?.messages[0]).toBe('forced by web:alice inside the deny window night');

    const audit = (await h.store.listAudit({ app: 'web' })).map(
      (e) => `${e.actor} ${e.decision} ${e.result}`,
    );
    expect(
      audit.some((a) => a.startsWith('web:bob allowed failed:') && a.includes('deny window night')),
    ).toBe(true);
    expect(audit.some((a) => a.startsWith('web:bob refused') && a.includes('admin'))).toBe(true);
    expect(
      audit.some((a) => a.startsWith('web:alice allowed ok:') && a.includes('inside the deny window night')),
    ).toBe(true);
  });
});
