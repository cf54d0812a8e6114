import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../src/util/index.js';
import { apiServers, nextEvent, sseReader, type TestServer } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';
import { waitFor } from '../support/wait-for.js';

// Security review, issue 12 item 6: 600 never-reading `logs?follow=1&tail=10000` streams by a user
// with no role took the server's RSS from 118 MB to 1.2 GB and /healthz to 27 s.

const start = apiServers();
const createStore = sqliteStores();
const FOLLOW = '/api/v1/apps/web/resources/web/logs?follow=1&tail=10000';

async function serverWithUsers(logStreams: { perUser: number; total: number }) {
  const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
  engine.setLogs('web', 'web', [{ stream: 'stdout', source: 'web-0', text: 'booted' }]);
  const store = await createStore();
  const server = await start({ engine, store }, { logStreams });
  const tokens: Record<string, string> = {};
  for (const user of ['alice', 'bob']) {
    tokens[user] = newToken();
    await store.createUser(user, hashToken(tokens[user] ?? ''));
  }
  const follow = (user: string) =>
    server.api(FOLLOW, { headers: { authorization: `Bearer ${tokens[user]}` } });
  return { engine, server, tokens, follow };
}

function connections(server: TestServer): Promise<number> {
  return new Promise((resolve, reject) =>
    server.app.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );
}

describe('log follow streams are bounded', () => {
  it('answers 429 past the per-user cap and past the total cap, and frees a slot when a stream ends', async () => {
    const { server, tokens, follow } = await serverWithUsers({ perUser: 2, total: 3 });
    const alice1 = await follow('alice');
    const alice2 = await follow('alice');
    expect([alice1.status, alice2.status]).toEqual([200, 200]);
    const [first, second] = [sseReader(alice1), sseReader(alice2)];
    expect(JSON.parse((await nextEvent(first)).data)).toMatchObject({ text: 'booted' });

    const third = await follow('alice');
    expect(third.status).toBe(429);
    const perUser = (await third.json()) as { error: { code: string; message: string } };
    expect(perUser.error.code).toBe('RATE_LIMITED');
    expect(perUser.error.message).toMatch(/alice already has 2 log streams open, the most one user may hold/);
    expect(perUser.error.message).toMatch(/close one/);

    const bob1 = await follow('bob');
    expect(bob1.status).toBe(200);
    const bobReader = sseReader(bob1);
    const bob2 = await follow('bob');
    expect(bob2.status).toBe(429);
    expect(((await bob2.json()) as { error: { message: string } }).error.message).toMatch(
      /the server already serves 3 log streams, the most it holds at once/,
    );

    // A plain tail is not a stream: not capped.
    const tail = await server.api('/api/v1/apps/web/resources/web/logs?tail=5', {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    expect(tail.status).toBe(200);

    await second.cancel();
    const again = await waitFor('alice to get a slot back once one of her streams ended', async () => {
      const response = await follow('alice');
      if (response.status === 200) return response;
      await response.body?.cancel();
      return undefined;
    });
    const againReader = sseReader(again);
    await Promise.all([first.cancel(), bobReader.cancel(), againReader.cancel()]);
  });

  it('drops a client that never reads by closing its connection, and gives its slot back', async () => {
    const { engine, server, tokens, follow } = await serverWithUsers({ perUser: 1, total: 10 });
    const idle = await connections(server);
    const socket: Socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET ${FOLLOW} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${tokens.alice}\r\n\r\n`,
    );
    await waitFor('the follow stream to open', () => server.context.logStreams.open === 1);
    socket.pause(); // never reads again: the kernel buffers fill, then the server's

    const line = 'x'.repeat(16 * 1024);
    await waitFor(
      'the server to drop the reader that left more than 1 MiB unread',
      async () => {
        for (let i = 0; i < 64; i++)
          engine.pushLog('web', 'web', { stream: 'stdout', source: 'web-0', text: line });
        return server.context.logStreams.open === 0;
      },
      { intervalMs: 10 },
    );
    // Its connection is gone (destroyed, not left holding what it never read) ...
    await waitFor('the dropped connection to close', async () => (await connections(server)) <= idle);
    // ... and its slot is free again.
    const next = await follow('alice');
    expect(next.status).toBe(200);
    await next.body?.cancel();
    socket.destroy();
  });
});
