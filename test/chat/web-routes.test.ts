import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChatAdapter, webChatRoutes } from '../../src/chat/adapters/web/index.js';
import type { IncomingMessage, Store, WheelhouseEvent } from '../../src/core/index.js';
import { silentLogger } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';
import { createTestEventBus } from '../support/config-engine.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';

describe('built-in chat routes', () => {
  const tmp = tempDirs();
  let app: FastifyInstance;
  let store: Store;
  const events = createTestEventBus();
  const seen: WheelhouseEvent[] = [];
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    store = await createSqliteStore({ file: join(await tmp('routes'), 'wheelhouse.db') });
    const web = createWebChatAdapter({
      store,
      events,
      log: silentLogger,
      redact: (t) => t.replaceAll('hunter2', '***'),
    });
    // A handler that answers like the bot: an acknowledgement in the thread.
    await web.start({
      async onMessage(message) {
        received.push(message);
        await web.post(
          { channel: message.channel, thread: message.thread ?? message.ts },
          { text: 'on it', blocks: [], status: 'working' },
        );
      },
      async onAction() {},
    });
    events.subscribe((e) => seen.push(e));
    app = Fastify();
    // The server's auth hook sets the user; here a header stands in for the token's user.
    await app.register(
      webChatRoutes({
        adapter: web,
        store,
        userOf: (req) => String(req.headers['x-user']),
        redact: (t) => t.replaceAll('hunter2', '***'),
      }),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('posts as the token’s user, replies arrive in the thread, events announce them', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/chat/rooms/ops/messages',
      headers: { 'x-user': 'alice' },
      payload: { text: 'status hunter2' },
    });
    expect(posted.statusCode).toBe(201);
    const message = posted.json().message;
    expect(message).toMatchObject({ room: 'ops', author: 'alice', bot: false, text: 'status ***' });
    expect(received.at(-1)).toMatchObject({
      platform: 'web',
      channel: 'ops',
      user: 'alice',
      text: 'status hunter2',
      ts: message.id,
    });
    const thread = await waitFor("the bot's answer in the thread", async () => {
      const found = await app.inject({
        url: `/api/v1/chat/rooms/ops/messages?thread=${message.id}`,
        headers: { 'x-user': 'alice' },
      });
      // The reply's event goes out once its write is on disk, which can be after a read sees it.
      const announced = seen.filter((e) => e.type === 'chat.message').length >= 2;
      return found.json().messages.length >= 2 && announced ? found : undefined;
    });
    expect(
      thread.json().messages.map((m: { author: string; status?: string }) => [m.author, m.status ?? null]),
    ).toEqual([
      ['alice', null],
      ['wheelhouse', 'working'],
    ]);
    expect(
      seen
        .filter((e) => e.type === 'chat.message')
        .map((e) => (e.type === 'chat.message' ? (e.thread ?? null) : null)),
    ).toEqual([null, message.id]);
    const rooms = await app.inject({ url: '/api/v1/chat/rooms' });
    expect(rooms.json()).toEqual({ rooms: ['ops'] });
  });

  it('refuses bad rooms, empty text and unknown threads', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/chat/rooms/no%20spaces/messages',
      headers: { 'x-user': 'a' },
      payload: { text: 'hi' },
    });
    expect(bad.statusCode).toBe(400);
    const empty = await app.inject({
      method: 'POST',
      url: '/api/v1/chat/rooms/ops/messages',
      headers: { 'x-user': 'a' },
      payload: { text: '' },
    });
    expect(empty.statusCode).toBe(400);
    await expect(
      createWebChatAdapter({ store, events, log: silentLogger }).receive({
        room: 'ops',
        user: 'a',
        text: 'x',
        thread: 'nope',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
