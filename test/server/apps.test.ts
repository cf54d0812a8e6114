import { describe, expect, it } from 'vitest';
import { type SyncRecord, WheelhouseError } from '../../src/core/index.js';
import { apiServers } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores, tamperAuditRow } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

type Json = Record<string, unknown>;

async function json(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

function post(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function record(app: string, overrides: Partial<SyncRecord> = {}): SyncRecord {
  return {
    id: 'sync-old',
    app,
    revision: 'c'.repeat(40),
    digest: 'e'.repeat(40),
    actor: 'git:ccc',
    trigger: 'auto',
    dryRun: false,
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:05.000Z',
    result: 'succeeded',
    changeSet: [
      { key: 'local/Process/web/web', kind: 'Process', name: 'web', action: 'created', fields: [] },
    ],
    messages: [],
    health: { status: 'Healthy' },
    ...overrides,
  };
}

describe('REST API v1', () => {
  it('lists apps and shows one app with resources, lock, pin and last error', async () => {
    const lastSync = {
      id: 'sync-old',
      revision: 'c'.repeat(40),
      result: 'succeeded' as const,
      actor: 'git:ccc',
      startedAt: '2024-01-01T00:00:00.000Z',
      finishedAt: '2024-01-01T00:00:05.000Z',
    };
    const engine = createFakeEngine({
      config: emptyConfig(),
      apps: [
        appStatus('api', {
          syncStatus: 'OutOfSync',
          health: { status: 'Degraded', message: 'web: exited with code 1' },
          lastSync,
          lock: {
            app: 'api',
            holder: 'web:alice',
            reason: 'release freeze',
            createdAt: '2024-01-01T00:00:00.000Z',
          },
          pinnedRevision: 'c'.repeat(40),
          lastError: {
            code: 'RENDER_FAILED',
            message: 'apps/api/web.yaml: bad',
            at: '2024-01-01T00:00:00.000Z',
          },
        }),
        appStatus('web'),
      ],
    });
    const server = await start({ engine, store: await createStore() });
    const list = await json(await server.api('/api/v1/apps'));
    const apps = list.apps as Json[];
    expect(apps.map((a) => a.name)).toEqual(['api', 'web']);
    expect(apps[0]).toMatchObject({
      name: 'api',
      environment: 'dev',
      target: 'local',
      syncStatus: 'OutOfSync',
      health: { status: 'Degraded', message: 'web: exited with code 1' },
      revision: 'a'.repeat(40),
      lastSync,
    });
    expect(apps[0]).not.toHaveProperty('resources');

    const one = await json(await server.api('/api/v1/apps/api'));
    expect(one).toMatchObject({
      name: 'api',
      lock: { holder: 'web:alice', reason: 'release freeze' },
      pinnedRevision: 'c'.repeat(40),
      lastError: { code: 'RENDER_FAILED' },
      resources: [
        {
          key: 'local/Process/api/web',
          kind: 'Process',
          name: 'web',
          syncStatus: 'Synced',
          health: { status: 'Healthy' },
        },
      ],
    });

    const missing = await server.api('/api/v1/apps/nope');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('nope') },
    });
  });

  it('serves the diff and the history', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    engine.setDiff('web', {
      app: 'web',
      revision: 'b'.repeat(40),
      changes: [
        {
          key: 'local/Process/web/web',
          kind: 'Process',
          name: 'web',
          action: 'configured',
          fields: [{ path: 'spec.env.GREETING', live: 'hello', desired: 'hi' }],
        },
      ],
      text: '~ Process web\n  ~ spec.env.GREETING: hello -> hi\n',
    });
    engine.setHistory('web', [
      record('web', { id: 'sync-2' }),
      record('web', { id: 'sync-1', result: 'failed' }),
    ]);
    const server = await start({ engine, store: await createStore() });
    const diff = await json(await server.api('/api/v1/apps/web/diff'));
    expect(diff).toMatchObject({
      app: 'web',
      revision: 'b'.repeat(40),
      changes: [
        { action: 'configured', fields: [{ path: 'spec.env.GREETING', live: 'hello', desired: 'hi' }] },
      ],
    });
    expect(diff.text).toContain('GREETING');

    const history = await json(await server.api('/api/v1/apps/web/history?limit=1'));
    expect(history.app).toBe('web');
    expect((history.syncs as Json[]).map((s) => s.id)).toEqual(['sync-2']);
    expect((history.syncs as Json[])[0]).toMatchObject({
      changeSet: [{ action: 'created' }],
      health: { status: 'Healthy' },
    });

    const bad = await server.api('/api/v1/apps/web/history?limit=0');
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/querystring.*limit/) },
    });
  });

  it('starts a sync with 202 and an operation id, audits it, and validates the body', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const store = await createStore();
    const server = await start({ engine, store });
    const response = await server.api('/api/v1/apps/web/sync', post({ revision: 'v1.2.0', dryRun: true }));
    expect(response.status).toBe(202);
    const body = await json(response);
    expect(body).toEqual({ operationId: 'sync-1', app: 'web', revision: 'v1.2.0', dryRun: true });
    expect(engine.calls.find((c) => c.method === 'sync')?.args).toMatchObject({
      revision: 'v1.2.0',
      dryRun: true,
      actor: 'api:admin',
    });

    const [entry] = await store.listAudit();
    expect(entry).toMatchObject({
      actor: 'api:admin',
      action: 'api.sync',
      app: 'web',
      decision: 'allowed',
      result: 'accepted sync-1',
    });

    const noBody = await server.api('/api/v1/apps/web/sync', { method: 'POST' });
    expect(noBody.status).toBe(202);

    for (const [payload, pattern] of [
      [{ revision: ['a', 'b'] }, /body\.revision .*expected string, received array/],
      [{ dryRun: 'yes' }, /body\.dryRun .*expected boolean, received string/],
      [{ revison: 'x' }, /body .*Unrecognized key: "revison"/],
      [{ revision: '' }, /body\.revision .*expected string to have >=1 characters/],
    ] as const) {
      const refused = await server.api('/api/v1/apps/web/sync', post(payload));
      expect(refused.status, JSON.stringify(payload)).toBe(400);
      expect(await json(refused)).toMatchObject({
        error: { code: 'BAD_REQUEST', message: expect.stringMatching(pattern) },
      });
    }
    const malformed = await server.api('/api/v1/apps/web/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"revision":',
    });
    expect(malformed.status).toBe(400);
    expect(await json(malformed)).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/JSON/) },
    });

    const unknown = await server.api('/api/v1/apps/nope/sync', post({}));
    expect(unknown.status).toBe(404);
    expect(engine.calls.filter((c) => c.method === 'sync')).toHaveLength(2);
  });

  it('refreshes an app and answers with its status, audited', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const store = await createStore();
    const server = await start({ engine, store });
    const response = await server.api('/api/v1/apps/web/refresh', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ name: 'web', syncStatus: 'Synced' });
    expect(engine.calls).toContainEqual({ method: 'refresh', app: 'web' });
    expect((await store.listAudit())[0]).toMatchObject({
      action: 'api.refresh',
      app: 'web',
      result: 'refreshed',
    });
  });

  it('lets a guard refuse a mutating call, and audits the refusal', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const store = await createStore();
    const server = await start({
      engine,
      store,
      guard: async (request) => {
        if (request.action === 'sync') {
          throw new WheelhouseError(
            'FORBIDDEN',
            `${request.actor} may not sync ${request.app}: needs permission sync (held by role deployer)`,
          );
        }
      },
    });
    const refused = await server.api('/api/v1/apps/web/sync', post({}));
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({
      error: { code: 'FORBIDDEN', message: expect.stringContaining('permission sync') },
    });
    expect(engine.calls.some((c) => c.method === 'sync')).toBe(false);
    expect((await store.listAudit())[0]).toMatchObject({ action: 'api.sync', decision: 'refused' });
    expect((await server.api('/api/v1/apps/web/refresh', { method: 'POST' })).status).toBe(200);
  });

  it('serves log tails and rejects bad parameters', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    engine.setLogs(
      'web',
      'web',
      ['one', 'two', 'three'].map((text) => ({ stream: 'stdout' as const, source: 'web-0', text })),
    );
    const server = await start({ engine, store: await createStore() });
    const tail = await json(await server.api('/api/v1/apps/web/resources/web/logs?tail=2'));
    expect(tail).toEqual({
      app: 'web',
      resource: 'web',
      lines: [
        { stream: 'stdout', source: 'web-0', text: 'two' },
        { stream: 'stdout', source: 'web-0', text: 'three' },
      ],
    });
    const missing = await server.api('/api/v1/apps/web/resources/db/logs');
    expect(missing.status).toBe(404);
    expect((await server.api('/api/v1/apps/web/resources/web/logs?tail=-1')).status).toBe(400);
    expect((await server.api('/api/v1/apps/web/resources/web/logs?tail=abc')).status).toBe(400);
  });

  it('lists the audit log and verifies its chain, naming a tampered entry', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web'), appStatus('api')] });
    const store = await createStore();
    const server = await start({ engine, store });
    await server.api('/api/v1/apps/web/sync', post({}));
    await server.api('/api/v1/apps/api/refresh', { method: 'POST' });
    await server.api('/api/v1/apps/web/refresh', { method: 'POST' });

    const all = await json(await server.api('/api/v1/audit'));
    expect((all.entries as Json[]).map((e) => e.action)).toEqual(['api.sync', 'api.refresh', 'api.refresh']);
    const web = await json(await server.api('/api/v1/audit?app=web&limit=1'));
    expect((web.entries as Json[]).map((e) => [e.app, e.action])).toEqual([['web', 'api.refresh']]);
    const older = await json(await server.api('/api/v1/audit?before=2'));
    expect((older.entries as Json[]).map((e) => e.seq)).toEqual([1]);

    expect(await json(await server.api('/api/v1/audit/verify'))).toEqual({ ok: true, checked: 3 });
    tamperAuditRow(store.file, 2, 'edited by hand');
    expect(await json(await server.api('/api/v1/audit/verify'))).toMatchObject({
      ok: false,
      firstBroken: { seq: 2 },
    });
  });

  it('never sends a configured secret value, in responses or the audit log', async () => {
    const secret = 'hunter2-very-secret';
    const engine = createFakeEngine({
      config: emptyConfig({
        webhooks: { github: { secretEnv: 'GH_SECRET' } },
        secretPatterns: ['tok_[a-z0-9]+'],
      }),
      apps: [
        appStatus('web', {
          lastError: { code: 'DRIVER_FAILED', message: `bad password ${secret} and tok_abc123`, at: 'now' },
        }),
      ],
    });
    engine.setHistory('web', [record('web', { messages: [`login with ${secret} failed`] })]);
    const server = await start({ engine, store: await createStore(), env: { GH_SECRET: secret } });
    const texts = await Promise.all(
      ['/api/v1/apps', '/api/v1/apps/web', '/api/v1/apps/web/history'].map(async (p) =>
        (await server.api(p)).text(),
      ),
    );
    for (const text of texts) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('tok_abc123');
    }
    expect(texts[1]).toContain('bad password ***');
  });

  it('masks with the shared redaction when one is given (secretEnv values of manifests too)', async () => {
    const manifestSecret = 'db-password-from-a-manifest';
    const engine = createFakeEngine({
      apps: [
        appStatus('web', {
          lastError: { code: 'DRIVER_FAILED', message: `connect with ${manifestSecret}`, at: 'now' },
        }),
      ],
    });
    const server = await start({
      engine,
      store: await createStore(),
      redactor: () => (text: string) => text.replaceAll(manifestSecret, '***'),
    });
    const text = await (await server.api('/api/v1/apps/web')).text();
    expect(text).not.toContain(manifestSecret);
    expect(text).toContain('connect with ***');
  });
});
