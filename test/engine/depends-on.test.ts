import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver, WheelhouseEvent } from '../../src/core/index.js';
import { processDriverKinds } from '../../src/drivers/process/index.js';
import { startHarness } from '../support/engine-harness.js';
import { fileAppsDriver, fileManifest, stopWorkloads } from '../support/file-apps.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `dependsOn` through the engine, with real git and the process driver: a commit touching a
 * chain of apps syncs them in dependency order; a dependency that fails blocks its dependents
 * (status says why, a person's sync is refused) until it is fixed, and then they follow.
 */
const tmp = tempDirs();

const file = fileManifest;
/** A process that exits at once: Degraded, so its sync fails when waiting for health. */
const crashing = `apiVersion: wheelhouse/v1
kind: Process
metadata: { name: db }
spec:
  command: ["sh", "-c", "exit 3"]
`;

const CONFIG = `apps:
  - name: web
    path: apps/web
    dependsOn: [api]
  - name: api
    path: apps/api
    dependsOn: [db]
  - name: db
    path: apps/db
    sync: { timeout: 2s, retries: 0 }
  - name: docs
    path: apps/docs
`;

describe('apps with dependsOn', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let driver: Driver | undefined;
  const events: WheelhouseEvent[] = [];

  beforeAll(async () => {
    driver = await fileAppsDriver(tmp);
    h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': CONFIG,
        'apps/web/f.yaml': file('web', 'v1'),
        'apps/api/f.yaml': file('api', 'v1'),
        'apps/db/f.yaml': file('db', 'v1'),
        'apps/docs/f.yaml': file('docs', 'v1'),
      },
      driver,
      kinds: processDriverKinds,
      // Failed syncs are not retried by themselves: the test says when the fix comes.
      engine: { retryBaseMs: 3_600_000 },
    });
    h.engine.events.subscribe((event) => events.push(event));
  });

  afterAll(async () => {
    await h?.close();
    await stopWorkloads(driver);
  });

  const synced = (app: string, revision: string) =>
    h.engine.status(app).syncStatus === 'Synced' &&
    h.engine.status(app).health.status === 'Healthy' &&
    h.engine.status(app).revision === revision;
  const order = () =>
    events.flatMap((e) =>
      e.type === 'sync.started' || e.type === 'sync.finished' ? [`${e.app} ${e.type.slice(5)}`] : [],
    );

  it('deploys the chain from the first commit, every app Synced and Healthy', async () => {
    await waitFor('every app to be synced', () => {
      return ['db', 'api', 'web', 'docs'].every((app) => synced(app, h.head));
    });
    expect(h.engine.status('web')).toMatchObject({ dependsOn: ['api'] });
    expect(h.engine.status('web').waiting).toBeUndefined();
  });

  it('syncs a commit touching the chain in dependency order', async () => {
    events.length = 0;
    const sha = await h.commit(
      {
        'apps/web/f.yaml': file('web', 'v2'),
        'apps/api/f.yaml': file('api', 'v2'),
        'apps/db/f.yaml': file('db', 'v2'),
      },
      'all three at once',
    );
    await h.refresh('db');
    await waitFor('the chain to be synced at the new commit', () => {
      return ['db', 'api', 'web'].every((app) => synced(app, sha));
    });
    const seen = order();
    expect(seen.filter((e) => !e.startsWith('docs'))).toEqual([
      'db started',
      'db finished',
      'api started',
      'api finished',
      'web started',
      'web finished',
    ]);
  });

  it('blocks the dependents of a failed dependency, says why, and refuses a manual sync', async () => {
    const sha = await h.commit(
      { 'apps/db/f.yaml': crashing, 'apps/api/f.yaml': file('api', 'v3') },
      'db crashes; api changes',
    );
    await h.refresh('db');
    await waitFor('api to be blocked by db', () => h.engine.status('api').waiting?.blocked);
    const api = h.engine.status('api');
    expect(api.syncStatus).toBe('OutOfSync');
    expect(api.waiting).toMatchObject({ on: ['db'], blocked: true, revision: sha });
    expect(api.waiting?.reason).toMatch(/^db failed its last sync \([0-9a-f]{7}\): /);
    expect(h.engine.status('web').waiting).toBeUndefined(); // web's own tree did not change: nothing to sync
    await expect(h.engine.sync('api', { actor: 'web:alice' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /^app api was not synced: it depends on db \(dependsOn in wheelhouse.yaml\): db failed its last sync .* — fix db first \(its failure blocks api\)$/s,
      ),
    });
    // The app nobody depends on is untouched by the failure.
    expect(h.engine.status('docs')).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
  });

  it('lets the dependents follow once the dependency is fixed in Git', async () => {
    events.length = 0;
    const sha = await h.commit({ 'apps/db/f.yaml': file('db', 'fixed') }, 'db fixed');
    await h.refresh('db');
    await waitFor(
      'api to sync after db',
      () => synced('api', sha) || h.engine.status('api').revision === sha,
    );
    await waitFor('api to be synced and healthy', () => synced('api', sha));
    expect(h.engine.status('api').waiting).toBeUndefined();
    const seen = order().filter((e) => e.startsWith('db') || e.startsWith('api'));
    expect(seen).toEqual(['db started', 'db finished', 'api started', 'api finished']);
  });
});
