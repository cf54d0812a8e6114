import { describe, expect, it } from 'vitest';
import type { RepoRef, SourceProvider } from '../../src/core/index.js';
import { createMetrics, instrumentSource } from '../../src/server/index.js';
import { apiServers } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

type Json = Record<string, unknown>;

/** The value at a path of keys inside a JSON document (undefined when absent). */
function dig(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[key];
  }
  return current;
}

describe('GET /api/v1/openapi.json', () => {
  it('lists every route with its parameters, bodies and responses', async () => {
    const server = await start({
      engine: createFakeEngine({ config: emptyConfig() }),
      store: await createStore(),
    });
    const response = await server.api('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(dig(doc, 'paths') as Record<string, Json>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /api/v1/apps',
        'GET /api/v1/apps/{app}',
        'GET /api/v1/apps/{app}/diff',
        'POST /api/v1/apps/{app}/sync',
        'POST /api/v1/apps/{app}/refresh',
        'GET /api/v1/apps/{app}/history',
        'GET /api/v1/apps/{app}/resources/{name}/logs',
        'GET /api/v1/audit',
        'GET /api/v1/audit/verify',
        'GET /api/v1/control',
        'GET /api/v1/events',
        'GET /api/v1/openapi.json',
        'GET /api/v1/version',
        'POST /hooks/github',
        'POST /hooks/gitlab',
        'POST /hooks/jenkins',
        'POST /hooks/gitea',
        'POST /hooks/bitbucket',
        'POST /hooks/generic',
        'GET /api/v1/metrics',
        'GET /api/v1/metrics/timeline',
        'GET /api/v1/previews',
        'GET /api/v1/previews/{id}',
      ].sort(),
    );
    const sync = dig(doc, 'paths', '/api/v1/apps/{app}/sync', 'post');
    expect(dig(sync, 'parameters')).toContainEqual(
      expect.objectContaining({ name: 'app', in: 'path', required: true }),
    );
    expect(dig(sync, 'requestBody', 'content', 'application/json', 'schema')).toMatchObject({
      type: 'object',
      properties: { revision: { type: 'string' }, dryRun: { type: 'boolean' } },
      additionalProperties: false,
    });
    expect(dig(sync, 'responses', '202', 'content', 'application/json', 'schema', 'required')).toContain(
      'operationId',
    );
    expect(dig(sync, 'responses', 'default', 'content', 'application/json', 'schema')).toEqual({
      $ref: '#/components/schemas/Error',
    });

    const list = dig(doc, 'paths', '/api/v1/apps', 'get');
    expect(
      dig(list, 'responses', '200', 'content', 'application/json', 'schema', 'properties', 'apps', 'items'),
    ).toEqual({
      $ref: '#/components/schemas/AppSummary',
    });
    const schemas = dig(doc, 'components', 'schemas') as Json;
    expect(dig(schemas, 'App', 'properties', 'resources', 'items')).toEqual({
      $ref: '#/components/schemas/ResourceStatus',
    });
    expect(dig(schemas, 'Error', 'required')).toEqual(['error']);

    const logs = dig(doc, 'paths', '/api/v1/apps/{app}/resources/{name}/logs', 'get');
    expect((dig(logs, 'parameters') as Json[]).map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:app',
      'path:name',
      'query:follow',
      'query:tail',
    ]);
    expect(Object.keys(dig(logs, 'responses', '200', 'content') as Json)).toEqual([
      'application/json',
      'text/event-stream',
    ]);
    const events = dig(doc, 'paths', '/api/v1/events', 'get');
    expect(dig(events, 'responses', '200', 'content', 'text/event-stream')).toBeDefined();
    expect(dig(events, 'parameters')).toContainEqual(
      expect.objectContaining({ name: 'last-event-id', in: 'header' }),
    );

    expect(dig(doc, 'paths', '/healthz', 'get', 'security')).toEqual([]);
    expect(dig(doc, 'paths', '/hooks/github', 'post', 'security')).toEqual([]);
    expect(dig(doc, 'paths', '/api/v1/apps', 'get', 'security')).toBeUndefined();
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(dig(doc, 'components', 'securitySchemes', 'bearer')).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    // every $ref resolves
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    for (const ref of new Set(refs)) expect(schemas[ref.split('/').at(-1) as string], ref).toBeTruthy();
  });
});

describe('the OpenAPI document with the dashboard on', () => {
  it('documents the session and timeline routes from their zod schemas, and no page or asset', async () => {
    const server = await start({
      engine: createFakeEngine({ config: emptyConfig() }),
      store: await createStore(),
      dashboard: { webRoot: '/nonexistent/web' },
    });
    const doc = (await (await server.api('/api/v1/openapi.json')).json()) as Json;
    const paths = dig(doc, 'paths') as Record<string, Json>;
    expect(Object.keys(dig(paths, '/api/v1/session') as Json).sort()).toEqual(['delete', 'get', 'post']);
    expect(
      dig(paths, '/api/v1/session', 'post', 'requestBody', 'content', 'application/json', 'schema'),
    ).toMatchObject({
      type: 'object',
      required: ['token'],
      properties: { token: { type: 'string', minLength: 1, maxLength: 512 } },
      additionalProperties: false,
    });
    expect(dig(paths, '/api/v1/session', 'post', 'security')).toEqual([]);
    expect(
      dig(paths, '/api/v1/timeline', 'get', 'responses', '200', 'content', 'application/json', 'schema'),
    ).toMatchObject({ properties: { items: { items: { $ref: '#/components/schemas/TimelineItem' } } } });
    expect(dig(paths, '/api/v1/timeline', 'get', 'parameters')).toContainEqual(
      expect.objectContaining({
        name: 'limit',
        in: 'query',
        schema: expect.objectContaining({ maximum: 500 }),
      }),
    );
    expect(
      Object.keys(paths).filter((path) => !/^\/(api\/v1|hooks)\/|^\/(healthz|readyz|metrics)$/.test(path)),
    ).toEqual([]);
    // Every documented operation is a route the server has, with a unique operationId.
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const url = path.replace(/\{([^}]+)\}/g, ':$1');
        expect(server.app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method} ${path}`).toBe(
          true,
        );
        ids.add(String(dig(op, 'operationId')));
      }
    }
    expect(ids.size).toBe(Object.values(paths).reduce((n, ops) => n + Object.keys(ops).length, 0));
  });
});

describe('GET /metrics', () => {
  it('exposes the named series in the Prometheus format', async () => {
    const engine = createFakeEngine({
      config: emptyConfig(),
      apps: [
        appStatus('a'),
        appStatus('b', { syncStatus: 'OutOfSync', health: { status: 'Degraded' } }),
        appStatus('c'),
      ],
    });
    const metrics = createMetrics();
    const calls: string[] = [];
    const source = instrumentSource(fakeSource(calls), metrics);
    await source.fetch({ url: 'https://example.test/r.git' });
    await expect(source.fetch({ url: 'https://example.test/fail.git' })).rejects.toThrow(/unreachable/);
    expect(await source.resolve({ url: 'https://example.test/r.git' }, 'main')).toBe('f'.repeat(40));
    expect(calls).toEqual(['fetch', 'fetch', 'resolve']);

    const server = await start({ engine, store: await createStore(), metrics });
    await server.api('/api/v1/apps');
    const handle = await engine.sync('a', { actor: 'api:admin' });
    await handle.done;
    engine.setSyncOutcome('failed');
    await (await engine.sync('a', { actor: 'api:admin' })).done;

    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const line of [
      /^# TYPE wheelhouse_reconcile_duration_seconds histogram$/m,
      /^wheelhouse_reconcile_duration_seconds_count\{result="succeeded"\} 1$/m,
      /^wheelhouse_syncs_total\{result="succeeded"\} 1$/m,
      /^wheelhouse_syncs_total\{result="failed"\} 1$/m,
      /^wheelhouse_git_fetch_duration_seconds_count\{result="ok"\} 1$/m,
      /^wheelhouse_git_fetch_duration_seconds_count\{result="error"\} 1$/m,
      /^wheelhouse_apps_by_sync_status\{status="Synced"\} 2$/m,
      /^wheelhouse_apps_by_sync_status\{status="OutOfSync"\} 1$/m,
      /^wheelhouse_apps_by_health\{status="Healthy"\} 2$/m,
      /^wheelhouse_apps_by_health\{status="Degraded"\} 1$/m,
      /^wheelhouse_apps_by_health\{status="Unknown"\} 0$/m,
      /^# TYPE wheelhouse_webhook_requests_total counter$/m,
      /^wheelhouse_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/apps",status_code="200"\} 1$/m,
      /^wheelhouse_process_resident_memory_bytes /m,
    ]) {
      expect(text).toMatch(line);
    }
    engine.setApps([appStatus('a')]);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(
      /^wheelhouse_apps_by_sync_status\{status="OutOfSync"\} 0$/m,
    );
  });
});

function fakeSource(calls: string[]): SourceProvider {
  const fail = (repo: RepoRef) => repo.url.includes('fail');
  return {
    async fetch(repo) {
      calls.push('fetch');
      if (fail(repo)) throw new Error('unreachable');
      return { repo: repo.url, fetchedAt: new Date().toISOString() };
    },
    async resolve() {
      calls.push('resolve');
      return 'f'.repeat(40);
    },
    treeIds: async () => new Map(),
    readFiles: async () => [],
    readFile: async () => undefined,
    materialize: async () => '/nonexistent',
    log: async () => [],
    verifyCommits: async (_repo, _from, to) => ({ ok: true, commit: to, signer: 'nobody' }),
    commit: async (_repo, sha) => ({
      sha,
      subject: 's',
      authorName: 'a',
      authorEmail: 'a@b',
      authoredAt: '',
    }),
    close: async () => {},
  };
}
