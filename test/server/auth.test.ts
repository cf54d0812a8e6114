import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../src/util/index.js';
import { apiServers } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

describe('authentication', () => {
  it('writes the admin token once with mode 0600 and keeps it across restarts', async () => {
    const store = await createStore();
    const engine = createFakeEngine({ apps: [appStatus('web')], config: emptyConfig() });
    const server = await start({ engine, store });
    expect(server.adminTokenCreated).toBe(true);
    const info = await stat(server.adminTokenFile);
    expect(info.mode & 0o777).toBe(0o600);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    await server.close();
    const again = await start({ engine, store, dataDir: server.dataDir });
    expect(again.adminTokenCreated).toBe(false);
    expect(again.token).toBe(server.token);
  });

  it('refuses /api without a token, with a malformed header, and with a wrong token', async () => {
    const server = await start({
      engine: createFakeEngine({ apps: [appStatus('web')] }),
      store: await createStore(),
    });
    const cases: [string | undefined, RegExp][] = [
      [undefined, /missing Authorization header/],
      ['', /missing Authorization header/],
      ['Basic dXNlcjpwYXNz', /malformed Authorization header/],
      ['Bearer', /malformed Authorization header/],
      ['Bearer two tokens', /malformed Authorization header/],
      [`Bearer ${server.token}x`, /token refused/],
      [`Bearer ${newToken()}`, /token refused/],
    ];
    for (const [authorization, message] of cases) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const response = await fetch(`${server.url}/api/v1/apps`, { headers });
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAUTHENTICATED');
      expect(body.error.message).toMatch(message);
      expect(body.error.message).toContain(server.adminTokenFile);
      expect(body.error.message).not.toContain(server.token);
    }
  });

  it('accepts the admin token and personal tokens looked up by hash', async () => {
    const store = await createStore();
    const personal = newToken();
    await store.createUser('alice', hashToken(personal));
    const engine = createFakeEngine({ apps: [appStatus('web')], config: emptyConfig() });
    const server = await start({ engine, store });
    expect((await server.api('/api/v1/apps')).status).toBe(200);
    expect(
      (await server.api('/api/v1/apps', { headers: { authorization: `bearer ${personal}` } })).status,
    ).toBe(200);

    const sync = await server.api('/api/v1/apps/web/sync', {
      method: 'POST',
      headers: { authorization: `Bearer ${personal}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sync.status).toBe(202);
    const [entry] = await store.listAudit({ app: 'web' });
    expect(entry?.actor).toBe('api:alice');
    const call = engine.calls.find((c) => c.method === 'sync');
    expect(call?.args).toMatchObject({ actor: 'api:alice' });

    await store.removeUser('alice');
    expect(
      (await server.api('/api/v1/apps', { headers: { authorization: `Bearer ${personal}` } })).status,
    ).toBe(401);
  });

  it('keeps probes and metrics public, answers readiness only once a config is loaded', async () => {
    const engine = createFakeEngine({ apps: [] });
    const server = await start({ engine, store: await createStore() });
    const healthz = await fetch(`${server.url}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toMatchObject({ ok: true });
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      error: { code: 'UNAVAILABLE', message: expect.stringMatching(/not ready/) },
    });
    engine.setConfig(emptyConfig());
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, apps: 0, degraded: false, problems: [] });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const server = await start({ engine: createFakeEngine(), store: await createStore() });
    for (const path of ['/nope', '/api/v2/apps', '/api/v1/nothing-here']) {
      const response = await server.api(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('NOT_FOUND');
      expect(body.error.message).toMatch(/openapi\.json/);
    }
  });
});
