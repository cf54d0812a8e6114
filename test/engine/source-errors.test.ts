import { rename } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { apiServers } from '../support/api-server.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { createRepo } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 12 item 11: a fetch that failed (data dir unwritable, disk full) left `apps`,
 * `GET /apps/{app}` and `/readyz` at Synced/Healthy with no error. Here the app's repository goes
 * away (a real failed `git fetch`; the engine handles every fetch failure the same way).
 */
const tmp = tempDirs();
const server = apiServers();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const manifest = 'apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: f }\nspec: { content: x }\n';

describe('a source that cannot be fetched', () => {
  it('shows on the app (status and API) and in readiness, and clears on the next good fetch', async () => {
    const appRepo = await tmp('app-repo');
    await createRepo(appRepo, { 'deploy/m.yaml': manifest });
    const h = await startHarness(tmp, {
      files: {
        'wheelhouse.yaml': `apps:\n  - { name: web, path: deploy, source: { repo: "${appRepo}", ref: main } }\n`,
      },
      driver: new FakeDriver('process'),
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    const api = await server({ engine: h.engine, store: h.store });
    await h.refresh('web');
    expect(h.engine.status('web')).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
    expect(h.engine.status('web').sourceError).toBeUndefined();

    await rename(appRepo, `${appRepo}.gone`);
    await h.refresh('web');
    const failing = h.engine.status('web');
    expect(failing.sourceError?.message).toMatch(/fetch/i);
    expect(failing.sourceError?.since).toBe(failing.sourceError?.at);

    const detail = (await (await api.api('/api/v1/apps/web')).json()) as Record<string, unknown>;
    expect(detail.sourceError).toEqual(failing.sourceError);
    const list = (await (await api.api('/api/v1/apps')).json()) as { apps: Record<string, unknown>[] };
    expect(list.apps[0]?.sourceError).toEqual(failing.sourceError);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      apps: 1,
      degraded: true,
      problems: [
        expect.stringMatching(/^1 app cannot fetch their source \(failing since .*\); GET \/api\/v1\/apps/),
      ],
    });

    // A second failure keeps when it started.
    await h.refresh('web');
    expect(h.engine.status('web').sourceError?.since).toBe(failing.sourceError?.since);

    await rename(`${appRepo}.gone`, appRepo);
    await h.refresh('web');
    expect(h.engine.status('web').sourceError).toBeUndefined();
    expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({
      ready: true,
      apps: 1,
      degraded: false,
      problems: [],
    });
  });
});
