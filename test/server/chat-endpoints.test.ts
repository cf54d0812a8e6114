import { describe, expect, it } from 'vitest';
import type { HttpEndpoint, InboundRequest } from '../../src/core/index.js';
import { chatEndpointRoutes } from '../../src/server/index.js';
import { apiServers } from '../support/api-server.js';
import { appStatus, createFakeEngine } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

describe('chat platform endpoints', () => {
  it('hand the raw body and headers to the adapter, without bearer auth, and answer its response', async () => {
    const seen: InboundRequest[] = [];
    let endpoints: HttpEndpoint[] = [];
    const server = await start({
      engine: createFakeEngine({ apps: [appStatus('web')] }),
      store: await createStore(),
      plugins: { public: [chatEndpointRoutes(() => endpoints)] },
    });
    // Adapters are looked up per request: one configured after start is served.
    endpoints = [
      {
        method: 'POST',
        path: '/chat/example/events',
        async handle(request) {
          seen.push(request);
          return { status: 200, headers: { 'x-ack': 'yes' }, body: 'ack' };
        },
      },
    ];
    const body = '{"b": 1,  "a": 2}';
    const res = await fetch(`${server.url}/chat/example/events?retry=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Example-Signature': 'v0=abc' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ack')).toBe('yes');
    expect(await res.text()).toBe('ack');
    expect(seen[0]?.rawBody.toString()).toBe(body);
    expect(seen[0]?.headers['x-example-signature']).toBe('v0=abc');
    expect(seen[0]?.query.retry).toBe('1');
    expect(seen[0]?.path).toBe('/chat/example/events');
  });

  it('answers 404 with a hint for a platform that is not configured', async () => {
    const server = await start({
      engine: createFakeEngine({ apps: [appStatus('web')] }),
      store: await createStore(),
      plugins: { public: [chatEndpointRoutes(() => [])] },
    });
    const res = await fetch(`${server.url}/chat/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /configured under chat:/,
    );
  });

  it('refuses a body over the limit', async () => {
    const server = await start({
      engine: createFakeEngine({ apps: [appStatus('web')] }),
      store: await createStore(),
      plugins: {
        public: [
          chatEndpointRoutes(
            () => [{ method: 'POST', path: '/chat/x/in', handle: async () => ({ status: 200 }) }],
            { bodyLimit: 100 },
          ),
        ],
      },
    });
    const res = await fetch(`${server.url}/chat/x/in`, { method: 'POST', body: 'x'.repeat(1000) });
    expect(res.status).toBe(413);
  });
});
