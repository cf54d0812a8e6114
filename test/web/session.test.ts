import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.js';
import { hashToken, newToken } from '../../src/util/index.js';
import { apiServers } from '../support/api-server.js';
import { fakeWebBuild, signInAs } from '../support/dashboard.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';
import { tempDirs } from '../support/tmp.js';

const start = apiServers();
const createStore = sqliteStores();
const tmp = tempDirs();

async function dashboardServer(
  options: { store?: Store; trustProxy?: boolean; rateLimit?: { perMinute: number; burst: number } } = {},
) {
  const store = options.store ?? (await createStore());
  const engine = createFakeEngine({ apps: [appStatus('web')], config: emptyConfig() });
  const { root } = await fakeWebBuild(await tmp('web'));
  const server = await start(
    {
      engine,
      store,
      dashboard: { webRoot: root, ...(options.rateLimit ? { signInRateLimit: options.rateLimit } : {}) },
    },
    options.trustProxy ? { trustProxy: true } : {},
  );
  return { server, store, engine };
}

async function withUser(store: Store, name: string): Promise<string> {
  const token = newToken();
  await store.createUser(name, hashToken(token));
  return token;
}

const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });

describe('dashboard sign-in', () => {
  it('exchanges a personal token for an HttpOnly, SameSite=Strict session cookie, and refuses unknown tokens', async () => {
    const { server, store } = await dashboardServer();
    const token = await withUser(store, 'alice');

    const refused = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: newToken() }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const refusal = (await refused.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('UNAUTHENTICATED');
    expect(refusal.error.message).toMatch(/wheelhouse user add/);

    const { cookie, header, body, csrf } = await signInAs(server.url, token);
    expect(body).toMatchObject({ user: 'alice', actor: 'web:alice', via: 'session' });
    expect(csrf.length).toBeGreaterThanOrEqual(32);
    expect(cookie).toMatch(/^wheelhouse_session=[A-Za-z0-9_-]{40,}$/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Strict/);
    expect(header).toMatch(/; Path=\//);
    expect(header).toMatch(/; Max-Age=\d+/);
    expect(header).not.toMatch(/Secure/); // plain http here
    expect(cookie).not.toContain(token);

    // The cookie authenticates the API; who am I says the same and returns the same CSRF token.
    const apps = await fetch(`${server.url}/api/v1/apps`, { headers: { cookie } });
    expect(apps.status).toBe(200);
    const me = (await (
      await fetch(`${server.url}/api/v1/session`, { headers: { cookie } })
    ).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ user: 'alice', actor: 'web:alice', via: 'session', csrfToken: csrf });
  });

  it('signs the admin in with the admin token', async () => {
    const { server } = await dashboardServer();
    const { body } = await signInAs(server.url, server.token);
    expect(body).toMatchObject({ user: 'admin', actor: 'web:admin' });
  });

  it('stores only hashes: neither the session id nor the token is in the database', async () => {
    const store = await createStore();
    const { server } = await dashboardServer({ store });
    const token = await withUser(store, 'alice');
    const { cookie } = await signInAs(server.url, token);
    const id = cookie.split('=')[1] ?? '';
    const db = new Database(store.file, { readonly: true });
    try {
      const rows = db.prepare('select * from web_sessions').all() as Record<string, string>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]?.id_hash).toBe(hashToken(id));
      expect(rows[0]?.token_hash).toBe(hashToken(token));
      expect(rows[0]?.user_name).toBe('alice');
    } finally {
      db.close();
    }
    const raw = await readFile(store.file);
    const wal = await readFile(`${store.file}-wal`).catch(() => Buffer.alloc(0));
    for (const bytes of [raw, wal]) {
      expect(bytes.includes(Buffer.from(id))).toBe(false);
      expect(bytes.includes(Buffer.from(token))).toBe(false);
    }
  });

  it('asks for the CSRF token on every state-changing request with a cookie, compared exactly', async () => {
    const { server, store, engine } = await dashboardServer();
    const { cookie, csrf } = await signInAs(server.url, await withUser(store, 'alice'));
    const refresh = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/v1/apps/web/refresh`, { method: 'POST', headers: { cookie, ...headers } });

    const missing = await refresh({});
    expect(missing.status).toBe(403);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.message).toMatch(/X-CSRF-Token/);
    expect((await refresh({ 'x-csrf-token': `${csrf}x` })).status).toBe(403);
    expect((await refresh({ 'x-csrf-token': csrf.slice(0, -1) })).status).toBe(403);
    expect(engine.calls.filter((c) => c.method === 'refresh')).toHaveLength(0);

    const ok = await refresh({ 'x-csrf-token': csrf });
    expect(ok.status).toBe(200);
    expect(engine.calls.filter((c) => c.method === 'refresh')).toHaveLength(1);

    // Reading needs no CSRF token.
    expect((await fetch(`${server.url}/api/v1/apps/web`, { headers: { cookie } })).status).toBe(200);
  });

  it('leaves bearer-token requests alone: no cookie, no CSRF token needed', async () => {
    const { server, engine } = await dashboardServer();
    const response = await server.api('/api/v1/apps/web/refresh', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(engine.calls.some((c) => c.method === 'refresh')).toBe(true);
    // A session for another user's cookie does not override the bearer token either.
    const me = (await (await server.api('/api/v1/session')).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ user: 'admin', actor: 'api:admin', via: 'admin-token' });
    expect(me.csrfToken).toBeUndefined();
  });

  it('signs out: the session is revoked (the old cookie stops working) and the cookie is cleared', async () => {
    const { server, store } = await dashboardServer();
    const { cookie, csrf } = await signInAs(server.url, await withUser(store, 'alice'));

    const withoutCsrf = await fetch(`${server.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(withoutCsrf.status).toBe(403);

    const out = await fetch(`${server.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    const cleared = out.headers.get('set-cookie') ?? '';
    expect(cleared).toMatch(/^wheelhouse_session=;/);
    expect(cleared).toMatch(/; Max-Age=0(;|$)/);
    expect(cleared).toMatch(/; Path=\/(;|$)/);
    expect(cleared).toMatch(/; Expires=Thu, 01 Jan 1970 00:00:00 GMT(;|$)/);
    expect(cleared).toMatch(/; HttpOnly(;|$)/);
    expect(cleared).toMatch(/; SameSite=Strict(;|$)/);

    const after = await fetch(`${server.url}/api/v1/apps`, { headers: { cookie } });
    expect(after.status).toBe(401);
    const body = (await after.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/sign in again/);

    const bearer = await server.api('/api/v1/session', { method: 'DELETE' });
    expect(bearer.status).toBe(400);
  });

  it('ends a session at its expiry, and when its user is removed', async () => {
    const store = await createStore();
    const { server } = await dashboardServer({ store });
    const alice = await signInAs(server.url, await withUser(store, 'alice'));
    const bob = await signInAs(server.url, await withUser(store, 'bob'));
    const get = (cookie: string) => fetch(`${server.url}/api/v1/apps`, { headers: { cookie } });
    expect((await get(alice.cookie)).status).toBe(200);
    expect((await get(bob.cookie)).status).toBe(200);

    const db = new Database(store.file);
    try {
      db.prepare('update web_sessions set expires_at = ? where user_name = ?').run(
        new Date(Date.now() - 1000).toISOString(),
        'alice',
      );
    } finally {
      db.close();
    }
    expect((await get(alice.cookie)).status).toBe(401);

    await store.removeUser('bob');
    expect((await get(bob.cookie)).status).toBe(401);
  });

  it('marks the cookie Secure (and __Host-) when served over https behind a proxy', async () => {
    const { server, store } = await dashboardServer({ trustProxy: true });
    const token = await withUser(store, 'alice');
    const response = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ token }),
    });
    expect(response.status).toBe(201);
    const header = response.headers.get('set-cookie') ?? '';
    expect(header).toMatch(/^__Host-wheelhouse_session=/);
    expect(header).toMatch(/; Secure/);
    const cookie = header.split(';')[0] ?? '';
    expect((await fetch(`${server.url}/api/v1/apps`, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses sign-in from another site’s page, and too many attempts from one address', async () => {
    const { server, store } = await dashboardServer({ rateLimit: { perMinute: 1, burst: 3 } });
    const token = await withUser(store, 'alice');
    const foreign = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ token }),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();

    const attempt = () =>
      fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...json({ token: 'nope' }),
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('keeps sessions in memory when the store has no session methods', async () => {
    const real = await createStore();
    const { insertSession: _i, getSession: _g, deleteSession: _d, deleteExpiredSessions: _e, ...rest } = real;
    const store: Store = rest;
    const { server } = await dashboardServer({ store });
    const { cookie, csrf } = await signInAs(server.url, await withUser(real, 'alice'));
    expect((await fetch(`${server.url}/api/v1/apps`, { headers: { cookie } })).status).toBe(200);
    await fetch(`${server.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect((await fetch(`${server.url}/api/v1/apps`, { headers: { cookie } })).status).toBe(401);
  });

  it('lists the session routes in the OpenAPI document, not the pages', async () => {
    const { server } = await dashboardServer();
    const doc = (await (await server.api('/api/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/session', '/api/v1/timeline']));
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/') && !p.startsWith('/hooks/'))).toEqual(
      expect.not.arrayContaining(['/', '/*', '/assets/*']),
    );
    const signIn = (doc.paths['/api/v1/session'] as Record<string, { security?: unknown[] }>).post;
    expect(signIn?.security).toEqual([]);
  });
});
