import { describe, expect, it } from 'vitest';
import type { ControlConfig, WheelhouseEvent } from '../../src/core/index.js';
import { createEventFrames } from '../../src/server/event-frames.js';
import { createConfigRedactor } from '../../src/server/redaction.js';
import { hashToken, newToken } from '../../src/util/index.js';
import { apiServers, nextEvent, sseReader } from '../support/api-server.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

const SECRET = 'p4ssw0rd-from-env';
/** A config that names GITEA_SECRET as a secret (a webhook's `secretEnv`). */
const withSecret = (base: ControlConfig = emptyConfig()): ControlConfig => ({
  ...base,
  webhooks: { gitea: { secretEnv: 'GITEA_SECRET' } },
});

const failed = (id: number, message: string): WheelhouseEvent => ({
  id,
  at: '2026-01-01T00:00:00.000Z',
  type: 'source.failed',
  repo: 'https://example.test/r.git',
  message,
});

/** A text redaction that counts the strings it is given, to tell one redaction from several. */
function countingRedactor() {
  const counter = {
    strings: 0,
    redact: (text: string) => {
      counter.strings++;
      return text;
    },
  };
  return counter;
}

describe('createEventFrames', () => {
  it('makes one frame per event and hands the same bytes to every caller', () => {
    const counter = countingRedactor();
    const frameOf = createEventFrames(
      createConfigRedactor(
        () => undefined,
        {},
        () => counter.redact,
      ),
    );
    const event = failed(7, 'timeout');
    const first = frameOf(event);
    const redactedStrings = counter.strings;
    expect(redactedStrings).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect(frameOf(event)).toBe(first);
    expect(counter.strings).toBe(redactedStrings);
    expect(first.toString()).toBe(`id: 7\nevent: source.failed\ndata: ${JSON.stringify(event)}\n\n`);
  });

  it('makes the frame again once the config names a secret the event holds', async () => {
    let config: ControlConfig = emptyConfig();
    const frameOf = createEventFrames(createConfigRedactor(() => config, { GITEA_SECRET: SECRET }));
    const event = failed(1, `auth failed for ${SECRET}`);
    expect(frameOf(event).toString()).toContain(SECRET);
    await Promise.resolve(); // a later turn: the redaction in force is asked again
    config = withSecret(config);
    const again = frameOf(event).toString();
    expect(again).not.toContain(SECRET);
    expect(again).toContain('auth failed for ***');
  });

  it('makes the frame again when the shared redaction learns a secret while the config stays', async () => {
    const config = emptyConfig();
    let shared = (text: string) => text; // ChatOps' redaction before a manifest's secretEnv is read
    const frameOf = createEventFrames(
      createConfigRedactor(
        () => config,
        {},
        () => shared,
      ),
    );
    const event = failed(1, `auth failed for ${SECRET}`);
    expect(frameOf(event).toString()).toContain(SECRET);
    await Promise.resolve();
    shared = (text) => text.replaceAll(SECRET, '***');
    expect(frameOf(event).toString()).toContain('auth failed for ***');
  });
});

describe('GET /api/v1/events sends each event as one shared frame', () => {
  it('gives every stream the same bytes and redacts an event once, however many streams are open', async () => {
    const counter = countingRedactor();
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const server = await start({ engine, store: await createStore(), redactor: () => counter.redact });
    const first = sseReader(await server.api('/api/v1/events'));
    engine.events.publish({ type: 'source.failed', repo: 'https://example.test/r.git', message: 'one' });
    const alone = await nextEvent(first);
    const perEvent = counter.strings;
    expect(perEvent).toBeGreaterThan(0);

    const readers = [first];
    for (let i = 0; i < 3; i++) readers.push(sseReader(await server.api('/api/v1/events?lastEventId=1')));
    engine.events.publish({ type: 'source.failed', repo: 'https://example.test/r.git', message: 'two' });
    const received = await Promise.all(readers.map((reader) => nextEvent(reader)));
    expect(new Set(received.map((m) => `${m.id}|${m.event}|${m.data}`)).size).toBe(1);
    expect(received[0]).toMatchObject({ id: '2', event: 'source.failed' });
    expect(JSON.parse(received[0]?.data ?? '{}')).toMatchObject({ message: 'two' });
    // Four streams, one event: its strings went through the redaction once, as with one stream.
    expect(counter.strings).toBe(2 * perEvent);
    expect(alone.data).not.toBe(received[0]?.data);
    await Promise.all(readers.map((reader) => reader.cancel()));
  });

  it("keeps another app's events from a restricted reader, and narrows a source update for them alone", async () => {
    const config = emptyConfig({
      access: {
        roles: {},
        bindings: [{ subjects: ['api:alice'], role: 'viewer', apps: ['web'], environments: ['*'] }],
        defaultRole: 'none',
      },
    });
    const engine = createFakeEngine({ config, apps: [appStatus('web'), appStatus('api')] });
    const store = await createStore();
    const server = await start({ engine, store });
    const token = newToken();
    await store.createUser('alice', hashToken(token));
    const alice = sseReader(
      await server.api('/api/v1/events', { headers: { authorization: `Bearer ${token}` } }),
    );
    const admin = sseReader(await server.api('/api/v1/events'));

    engine.events.publish({
      type: 'drift.detected',
      app: 'api',
      resources: [{ key: 'k', reason: 'edited' }],
    });
    engine.events.publish({
      type: 'source.updated',
      repo: 'https://example.test/r.git',
      revision: 'f'.repeat(40),
      apps: ['api', 'web'],
    });
    engine.events.publish({
      type: 'drift.detected',
      app: 'web',
      resources: [{ key: 'k', reason: 'edited' }],
    });

    const seenByAdmin = [];
    for (let i = 0; i < 3; i++) seenByAdmin.push(await nextEvent(admin));
    const seenByAlice = [await nextEvent(alice), await nextEvent(alice)];
    expect(seenByAlice.map((m) => m.id)).toEqual(['2', '3']);
    expect(JSON.parse(seenByAlice[0]?.data ?? '{}')).toMatchObject({ apps: ['web'] });
    expect(JSON.parse(seenByAdmin[1]?.data ?? '{}')).toMatchObject({ apps: ['api', 'web'] });
    expect(seenByAlice[1]?.data).toBe(seenByAdmin[2]?.data); // not narrowed: the shared frame
    expect(seenByAlice.some((m) => m.data.includes('"app":"api"'))).toBe(false);
    await alice.cancel();
    await admin.cancel();
  });

  it('masks a secret in a replayed event once a config change names it, though the frame was made before', async () => {
    const engine = createFakeEngine({ config: emptyConfig(), apps: [appStatus('web')] });
    const server = await start({ engine, store: await createStore(), env: { GITEA_SECRET: SECRET } });
    const live = sseReader(await server.api('/api/v1/events'));
    engine.events.publish({
      type: 'source.failed',
      repo: 'https://example.test/r.git',
      message: `auth failed for ${SECRET}`,
    });
    // Not named as a secret yet, so sent as it is (and its frame is kept).
    expect((await nextEvent(live)).data).toContain(SECRET);
    await live.cancel();

    engine.setConfig(withSecret(emptyConfig()));
    const replay = sseReader(await server.api('/api/v1/events', { headers: { 'last-event-id': '0' } }));
    const replayed = await nextEvent(replay);
    expect(replayed.id).toBe('1');
    expect(replayed.data).not.toContain(SECRET);
    expect(JSON.parse(replayed.data)).toMatchObject({ message: 'auth failed for ***' });
    await replay.cancel();
  });

  it('replays after Last-Event-ID with the bytes the live streams got', async () => {
    const engine = createFakeEngine({ config: withSecret(), apps: [appStatus('web')] });
    const server = await start({ engine, store: await createStore(), env: { GITEA_SECRET: SECRET } });
    const live = sseReader(await server.api('/api/v1/events'));
    for (const step of ['one', 'two', SECRET])
      engine.events.publish({ type: 'sync.progress', app: 'web', syncId: 's', step: 'apply', message: step });
    const sent = [await nextEvent(live), await nextEvent(live), await nextEvent(live)];
    expect(sent[2]?.data).not.toContain(SECRET);

    const resumed = sseReader(await server.api('/api/v1/events', { headers: { 'last-event-id': '1' } }));
    const replayed = [await nextEvent(resumed), await nextEvent(resumed)];
    expect(replayed).toEqual(sent.slice(1));
    engine.events.publish({ type: 'sync.progress', app: 'web', syncId: 's', step: 'apply', message: 'four' });
    const [a, b] = [await nextEvent(live), await nextEvent(resumed)];
    expect(a).toEqual(b);
    expect(a.id).toBe('4');
    await live.cancel();
    await resumed.cancel();
  });
});
