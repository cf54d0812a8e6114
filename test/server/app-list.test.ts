import { describe, expect, it } from 'vitest';
import { apiServers } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

interface ListBody {
  apps: { name: string; environment: string; health: { status: string }; resources?: unknown }[];
  nextCursor?: string;
}

const names = (body: ListBody) => body.apps.map((a) => a.name);

async function serverWith(apps: ReturnType<typeof appStatus>[]) {
  const engine = createFakeEngine({ config: emptyConfig(), apps });
  return { engine, server: await start({ engine, store: await createStore() }) };
}

describe('GET /api/v1/apps: ETag, filters and pages', () => {
  it('answers 304 to a matching If-None-Match and a new body once an app changes', async () => {
    const { engine, server } = await serverWith([appStatus('api'), appStatus('web')]);
    const first = await server.api('/api/v1/apps');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const body = (await first.json()) as ListBody;
    expect(names(body)).toEqual(['api', 'web']);
    expect(body.apps[0]?.resources).toBeUndefined(); // the summary, as the schema says

    const again = await server.api('/api/v1/apps', { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const weak = await server.api('/api/v1/apps', { headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(weak.status).toBe(304);

    engine.setApps([
      appStatus('api', { health: { status: 'Degraded', message: 'exited 1' } }),
      appStatus('web'),
    ]);
    engine.events.publish({
      type: 'health.changed',
      app: 'api',
      from: { status: 'Healthy' },
      to: { status: 'Degraded', message: 'exited 1' },
    });
    const changed = await server.api('/api/v1/apps', { headers: { 'if-none-match': etag ?? '' } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as ListBody).apps[0]?.health.status).toBe('Degraded');
  });

  it('gzips the list for a client that accepts it, under its own ETag, and not for one that does not', async () => {
    const { server } = await serverWith([appStatus('api'), appStatus('web')]);
    const gzipped = await server.api('/api/v1/apps', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('vary')).toBe('accept-encoding');
    expect(names((await gzipped.json()) as ListBody)).toEqual(['api', 'web']); // fetch gunzips it
    const zipTag = gzipped.headers.get('etag') ?? '';
    expect(zipTag).toMatch(/^".+\.gz"$/);

    for (const refused of ['identity', 'gzip;q=0, identity', 'br']) {
      const plain = await server.api('/api/v1/apps', { headers: { 'accept-encoding': refused } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('etag')).toBe(zipTag.replace('.gz"', '"'));
      expect(names((await plain.json()) as ListBody)).toEqual(['api', 'web']);
    }
    // A tag names one encoding: the gzip tag does not match the plain list, nor the other way round.
    const same = await server.api('/api/v1/apps', {
      headers: { 'accept-encoding': 'x-gzip;q=0.5', 'if-none-match': zipTag },
    });
    expect(same.status).toBe(304);
    const other = await server.api('/api/v1/apps', {
      headers: { 'accept-encoding': 'identity', 'if-none-match': zipTag },
    });
    expect(other.status).toBe(200);
  });

  it('filters by environment and health', async () => {
    const { server } = await serverWith([
      appStatus('api', { environment: 'prod' }),
      appStatus('web', { environment: 'prod', health: { status: 'Degraded' } }),
      appStatus('docs', { environment: 'staging', health: { status: 'Degraded' } }),
    ]);
    const prod = (await (await server.api('/api/v1/apps?environment=prod')).json()) as ListBody;
    expect(names(prod)).toEqual(['api', 'web']);
    const degraded = (await (await server.api('/api/v1/apps?health=Degraded')).json()) as ListBody;
    expect(names(degraded)).toEqual(['web', 'docs']);
    const both = (await (
      await server.api('/api/v1/apps?environment=prod&health=Degraded')
    ).json()) as ListBody;
    expect(names(both)).toEqual(['web']);
    const none = (await (await server.api('/api/v1/apps?environment=qa')).json()) as ListBody;
    expect(none.apps).toEqual([]);

    const bad = await server.api('/api/v1/apps?health=Fine');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('health');
  });

  it('pages with limit and cursor until the last page, which has no cursor', async () => {
    const all = Array.from({ length: 7 }, (_, i) =>
      appStatus(`app-${i}`, { environment: i % 2 ? 'odd' : 'even' }),
    );
    const { server } = await serverWith(all);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = `?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await server.api(`/api/v1/apps${query}`)).json()) as ListBody;
      expect(page.apps.length).toBeLessThanOrEqual(3);
      seen.push(...names(page));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((a) => a.name));

    const firstEven = (await (await server.api('/api/v1/apps?environment=even&limit=2')).json()) as ListBody;
    expect(names(firstEven)).toEqual(['app-0', 'app-2']);
    const nextEven = (await (
      await server.api(`/api/v1/apps?environment=even&limit=2&cursor=${firstEven.nextCursor}`)
    ).json()) as ListBody;
    expect(names(nextEven)).toEqual(['app-4', 'app-6']);
    expect(nextEven.nextCursor).toBeUndefined();

    const stale = await server.api(
      `/api/v1/apps?limit=2&cursor=${Buffer.from('gone').toString('base64url')}`,
    );
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain('leave out `cursor`');
  });
});
