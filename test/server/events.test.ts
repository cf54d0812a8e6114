import { describe, expect, it } from 'vitest';
import type { WheelhouseEvent } from '../../src/core/index.js';
import { apiServers, nextEvent, sseReader } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';
import { waitFor } from '../support/wait-for.js';

const start = apiServers();
const createStore = sqliteStores();

function parse(data: string): WheelhouseEvent {
  return JSON.parse(data) as WheelhouseEvent;
}

describe('GET /api/v1/events', () => {
  it('streams events with ids and types, heartbeats, and filters by app', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web'), appStatus('api')] });
    const server = await start({ engine, store: await createStore() }, { heartbeatMs: 50 });
    const all = await server.api('/api/v1/events');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const onlyWeb = await server.api('/api/v1/events?app=web');
    const allReader = sseReader(all);
    const webReader = sseReader(onlyWeb);

    engine.events.publish({
      type: 'app.updated',
      app: 'api',
      syncStatus: 'OutOfSync',
      health: { status: 'Healthy' },
    });
    engine.events.publish({
      type: 'source.updated',
      repo: 'https://example.test/r.git',
      revision: 'f'.repeat(40),
      apps: ['web'],
    });
    engine.events.publish({ type: 'source.failed', repo: 'https://example.test/r.git', message: 'timeout' });
    engine.events.publish({
      type: 'drift.detected',
      app: 'web',
      resources: [{ key: 'k', reason: 'edited' }],
    });

    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await nextEvent(allReader));
    expect(seen.map((m) => m.event)).toEqual([
      'app.updated',
      'source.updated',
      'source.failed',
      'drift.detected',
    ]);
    expect(seen.map((m) => Number(m.id))).toEqual([1, 2, 3, 4]);
    expect(parse(seen[0]?.data ?? '{}')).toMatchObject({
      id: 1,
      type: 'app.updated',
      app: 'api',
      syncStatus: 'OutOfSync',
    });

    const web1 = await nextEvent(webReader);
    const web2 = await nextEvent(webReader);
    expect([web1.event, web2.event]).toEqual(['source.updated', 'drift.detected']);

    // heartbeats are comments
    let comment: string | undefined;
    while (comment === undefined) {
      const message = await allReader.next();
      if (message?.event === ':' && message.data === 'heartbeat') comment = message.data;
    }
    expect(comment).toBe('heartbeat');
    await allReader.cancel();
    await webReader.cancel();

    const typo = await server.api('/api/v1/events?app=wbe');
    expect(typo.status).toBe(404);
  });

  it('resumes after Last-Event-ID without gaps or duplicates, also via ?lastEventId', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const server = await start({ engine, store: await createStore() });
    for (let i = 0; i < 5; i++) {
      engine.events.publish({
        type: 'sync.progress',
        app: 'web',
        syncId: 's',
        step: 'apply',
        message: `step ${i + 1}`,
      });
    }
    const resumed = await server.api('/api/v1/events', { headers: { 'last-event-id': '3' } });
    const reader = sseReader(resumed);
    engine.events.publish({
      type: 'sync.progress',
      app: 'web',
      syncId: 's',
      step: 'apply',
      message: 'step 6',
    });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(Number((await nextEvent(reader)).id));
    expect(ids).toEqual([4, 5, 6]);
    await reader.cancel();

    const viaQuery = sseReader(await server.api('/api/v1/events?lastEventId=5'));
    expect(Number((await nextEvent(viaQuery)).id)).toBe(6);
    await viaQuery.cancel();

    const bad = await server.api('/api/v1/events', { headers: { 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
  });

  it('tells a client with an id from before a restart to resync, then replays what it holds', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const server = await start({ engine, store: await createStore() });
    engine.events.publish({
      type: 'app.updated',
      app: 'web',
      syncStatus: 'Synced',
      health: { status: 'Healthy' },
    });
    const reader = sseReader(await server.api('/api/v1/events', { headers: { 'last-event-id': '900' } }));
    const first = await nextEvent(reader);
    expect(first.event).toBe('resync');
    const replayed = await nextEvent(reader);
    expect(replayed).toMatchObject({ id: '1', event: 'app.updated' });
    engine.events.publish({
      type: 'app.updated',
      app: 'web',
      syncStatus: 'OutOfSync',
      health: { status: 'Healthy' },
    });
    expect((await nextEvent(reader)).id).toBe('2');
    await reader.cancel();
  });

  it('streams a sync from start to finish for an operation started over the API', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const server = await start({ engine, store: await createStore() });
    const reader = sseReader(await server.api('/api/v1/events?app=web'));
    const started = await server.api('/api/v1/apps/web/sync', { method: 'POST' });
    const { operationId } = (await started.json()) as { operationId: string };
    const types: string[] = [];
    for (;;) {
      const message = await nextEvent(reader);
      const event = parse(message.data);
      if ('syncId' in event && event.syncId === operationId) types.push(event.type);
      if (event.type === 'audit.appended') types.push(event.type);
      if (event.type === 'sync.finished') break;
    }
    expect(types).toEqual(['audit.appended', 'sync.started', 'sync.progress', 'sync.finished']);
    await reader.cancel();
  });

  it('masks secret values in event payloads', async () => {
    const secret = 'p4ssw0rd-from-env';
    const engine = createFakeEngine({
      config: emptyConfig({ webhooks: { gitea: { secretEnv: 'GITEA_SECRET' } } }),
      apps: [appStatus('web')],
    });
    const server = await start({ engine, store: await createStore(), env: { GITEA_SECRET: secret } });
    const response = await server.api('/api/v1/events');
    const reader = sseReader(response);
    engine.events.publish({
      type: 'source.failed',
      repo: 'https://example.test/r.git',
      message: `auth failed for ${secret}`,
    });
    const message = await nextEvent(reader);
    expect(message.data).not.toContain(secret);
    expect(parse(message.data)).toMatchObject({ message: 'auth failed for ***' });
    await reader.cancel();
  });

  it('ends open streams when the server closes, so close does not hang', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const server = await start({ engine, store: await createStore() });
    const readers = await Promise.all(
      [1, 2, 3].map(async () => sseReader(await server.api('/api/v1/events'))),
    );
    expect(server.context.streams.size).toBe(3);
    await server.close();
    for (const reader of readers) {
      let message = await reader.next();
      while (message) message = await reader.next();
      expect(message).toBeUndefined();
    }
    expect(server.context.streams.size).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('follows a log with follow=1 as an event stream', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    engine.setLogs('web', 'web', [{ stream: 'stdout', source: 'web-0', text: 'booted' }]);
    const server = await start({ engine, store: await createStore() });
    const response = await server.api('/api/v1/apps/web/resources/web/logs?tail=5&follow=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = sseReader(response);
    expect(JSON.parse((await nextEvent(reader)).data)).toMatchObject({ text: 'booted' });
    engine.pushLog('web', 'web', { stream: 'stderr', source: 'web-0', text: 'GET / 200' });
    const live = await nextEvent(reader);
    expect(live.event).toBe('log');
    expect(JSON.parse(live.data)).toEqual({ stream: 'stderr', source: 'web-0', text: 'GET / 200' });
    await reader.cancel();

    const missing = await server.api('/api/v1/apps/web/resources/db/logs?follow=1');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('lets an in-flight request finish when the server closes', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    const refresh = engine.refresh.bind(engine);
    engine.refresh = async (name) => {
      entered = true;
      await gate;
      return refresh(name);
    };
    const server = await start({ engine, store: await createStore() });
    const pending = server.api('/api/v1/apps/web/refresh', { method: 'POST' });
    await waitFor('the refresh to reach the engine', () => entered);
    const closed = server.close();
    release();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'web' });
    await closed;
  });
});
