import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStatus } from '../../src/core/index.js';
import { createAppListCache } from '../../src/server/app-list-cache.js';
import type { Reader } from '../../src/server/read-access.js';
import { createConfigRedactor } from '../../src/server/redaction.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';

const everyone: Reader = { everything: true, may: () => true, assert: () => {} };
const query = {};

// Time is vitest's fake clock: the tests count builds for a given order of events and requests.
describe('the app list cache (GET /api/v1/apps)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setUp() {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const seen = { builds: 0 };
    const cache = createAppListCache(
      { engine, redact: createConfigRedactor(() => emptyConfig(), {}) },
      async (apps: AppStatus[]) => {
        seen.builds++;
        return apps;
      },
      () => Date.now(),
    );
    const names = async () =>
      (JSON.parse((await cache.body(everyone, query)).body) as { apps: { name: string }[] }).apps.map(
        (a) => a.name,
      );
    /** A change the list shows, announced as the engine does. */
    const addApp = (name: string) => {
      engine.setApps([...engine.apps(), appStatus(name)]);
      engine.events.publish({
        type: 'app.updated',
        app: name,
        syncStatus: 'Synced',
        health: { status: 'Healthy' },
      });
    };
    return { engine, cache, seen, names, addApp };
  }

  it('serves one build to every request until an event', async () => {
    const { cache, seen, names } = setUp();
    for (let i = 0; i < 10; i++) expect(await names()).toEqual(['web']);
    expect(seen.builds).toBe(1);
    cache.close();
  });

  it('while events keep coming, shares one build among the requests in between, each showing what was published before it', async () => {
    const { cache, seen, names, addApp } = setUp();
    expect(await names()).toEqual(['web']);
    const answers: Promise<string[]>[] = [];
    for (let i = 0; i < 20; i++) {
      addApp(`app-${i}`);
      answers.push(names());
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    const lists = await Promise.all(answers);
    for (const [i, list] of lists.entries()) expect(list).toContain(`app-${i}`);
    // Was one build per request (every event dropped the list): 21.
    expect(seen.builds).toBe(2);
    cache.close();
  });

  it('rebuilds at once when the last build is old enough', async () => {
    const { cache, seen, names, addApp } = setUp();
    await names();
    await vi.advanceTimersByTimeAsync(300);
    addApp('api');
    expect(await names()).toEqual(['web', 'api']);
    expect(seen.builds).toBe(2);
    cache.close();
  });

  it('serves the same body, tag and gzipped bytes again when a rebuild says the same', async () => {
    const { engine, cache, seen, addApp } = setUp();
    const first = await cache.body(everyone, query);
    const zipped = await first.gzipped?.bytes();
    expect(gunzipSync(zipped ?? Buffer.alloc(0)).toString()).toBe(first.body);
    expect(first.gzipped?.etag).toBe(`${first.etag.slice(0, -1)}.gz"`);

    await vi.advanceTimersByTimeAsync(300);
    engine.events.publish({ type: 'sync.progress', app: 'web', syncId: 's', step: 'apply', message: 'x' });
    const second = await cache.body(everyone, query);
    expect(seen.builds).toBe(2); // built again, and it says the same
    expect(second).toBe(first);
    expect(await second.gzipped?.bytes()).toBe(zipped); // not compressed again

    await vi.advanceTimersByTimeAsync(300);
    addApp('api');
    const third = await cache.body(everyone, query);
    expect(third.etag).not.toBe(first.etag);
    expect(gunzipSync((await third.gzipped?.bytes()) ?? Buffer.alloc(0)).toString()).toBe(third.body);
    cache.close();
  });

  it('answers a request still waiting for a build when it is closed', async () => {
    const { cache, names, addApp } = setUp();
    await names();
    addApp('api');
    const waiting = names();
    cache.close();
    expect(await waiting).toEqual(['web', 'api']);
  });

  it('between whole builds builds again only the apps events named, and is whole again after a second', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('api'), appStatus('web')] });
    const built: string[][] = [];
    const cache = createAppListCache(
      { engine, redact: createConfigRedactor(() => emptyConfig(), {}) },
      async (apps: AppStatus[]) => {
        built.push(apps.map((a) => a.name));
        return apps;
      },
      () => Date.now(),
    );
    const health = async () =>
      (
        JSON.parse((await cache.body(everyone, query)).body) as {
          apps: { name: string; health: { status: string } }[];
        }
      ).apps.map((a) => `${a.name}:${a.health.status}`);
    const webIs = (status: 'Healthy' | 'Degraded') => {
      engine.setApps([appStatus('api'), appStatus('web', { health: { status } })]);
      engine.events.publish({
        type: 'health.changed',
        app: 'web',
        from: { status: 'Healthy' },
        to: { status },
      });
    };

    expect(await health()).toEqual(['api:Healthy', 'web:Healthy']);
    await vi.advanceTimersByTimeAsync(300);
    webIs('Degraded');
    expect(await health()).toEqual(['api:Healthy', 'web:Degraded']);
    expect(built).toEqual([['api', 'web'], ['web']]);

    await vi.advanceTimersByTimeAsync(300);
    engine.events.publish({ type: 'config.loaded', revision: 'r2' }); // about no app: whole
    await health();
    await vi.advanceTimersByTimeAsync(300);
    webIs('Healthy');
    expect(await health()).toEqual(['api:Healthy', 'web:Healthy']);
    await vi.advanceTimersByTimeAsync(1_000);
    webIs('Degraded'); // the last whole build is a second old: whole again
    expect(await health()).toEqual(['api:Healthy', 'web:Degraded']);
    expect(built.slice(2)).toEqual([['api', 'web'], ['web'], ['api', 'web']]);
    cache.close();
  });
});
