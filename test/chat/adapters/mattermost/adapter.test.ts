import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMattermostAdapter,
  type MattermostAdapter,
} from '../../../../src/chat/adapters/mattermost/index.js';
import type { IncomingMessage } from '../../../../src/core/index.js';
import { silentLogger } from '../../../../src/core/index.js';
import {
  type MattermostEmulator,
  mattermostId,
  startMattermostEmulator,
} from '../../../support/emulators/mattermost.js';
import { tempDirs } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait-for.js';

describe('Mattermost adapter', () => {
  const tmp = tempDirs();
  let mm: MattermostEmulator;
  const adapters: MattermostAdapter[] = [];
  const CH = mattermostId();

  beforeAll(async () => {
    mm = await startMattermostEmulator();
    mm.join(CH);
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.stop()));
    await mm?.close();
  });

  async function adapter(settings: Record<string, unknown> = {}) {
    const a = createMattermostAdapter({
      settings: { url: mm.url, botTokenEnv: 'BOT', websocket: true, ...settings },
      env: { BOT: mm.bot.token },
      log: silentLogger,
      stateDir: await tmp('mm-state'),
      publicUrl: 'http://127.0.0.1:9/',
    });
    adapters.push(a);
    const seen: IncomingMessage[] = [];
    await a.start({
      onMessage: async (m) => {
        seen.push(m);
      },
      onAction: async () => undefined,
    });
    await a.ready();
    return { a, seen };
  }

  it('threads replies under the root when the message it answers is itself a reply', async () => {
    const { a, seen } = await adapter();
    const root = mm.say('alice', CH, 'starting a thread');
    const reply = mm.say('alice', CH, '@wheelhouse status', { rootId: root.id });
    const incoming = await waitFor('the mention', () => seen.find((m) => m.ts === reply.id));
    expect(incoming).toMatchObject({
      platform: 'mattermost',
      channel: CH,
      thread: root.id,
      text: 'status',
      user: mm.user('alice').id,
    });
    const ref = await a.post(
      { channel: CH, thread: incoming.thread ?? incoming.ts },
      { text: 'ok', blocks: [{ type: 'text', text: 'ok' }] },
    );
    expect(mm.posts.find((p) => p.id === ref.id)?.root_id).toBe(root.id);
    // A reply to a reply that was given as the thread: Mattermost refuses it, the adapter retries on the root.
    const again = await a.post(
      { channel: CH, thread: reply.id },
      { text: 'x', blocks: [{ type: 'text', text: 'x' }] },
    );
    expect(mm.posts.find((p) => p.id === again.id)?.root_id).toBe(root.id);
    expect(mm.requests.some((r) => r.method === 'GET' && r.path === `/posts/${reply.id}`)).toBe(true);
  });

  it('edits its posts with PUT, the id in the body, and an @channel in echoed text notifies nobody', async () => {
    const { a } = await adapter();
    const ref = await a.post(
      { channel: CH },
      { text: 'one', blocks: [{ type: 'text', text: '⏳ one' }], status: 'working' },
    );
    await a.update(ref, { text: 'two', blocks: [{ type: 'text', text: '✅ two @channel' }], status: 'done' });
    const post = mm.posts.find((p) => p.id === ref.id);
    expect(post?.message).toBe('✅ two @\u200bchannel');
    expect(post?.edit_at).toBeGreaterThan(0);
    expect(post?.props.attachments?.[0]?.color).toBe('#2EB67D');
  });

  it('a channel the bot is not in, or a wrong token, fail with a message that says what to check', async () => {
    const { a } = await adapter();
    await expect(a.post({ channel: mattermostId() }, { text: 'x', blocks: [] })).rejects.toThrow(
      /403 .*is the bot a member of that channel/,
    );
    const bad = createMattermostAdapter({
      settings: { url: mm.url, botTokenEnv: 'BOT', websocket: true },
      env: { BOT: 'wrong-token' },
      log: silentLogger,
      stateDir: await tmp('mm-bad'),
    });
    await expect(bad.post({ channel: CH }, { text: 'x', blocks: [] })).rejects.toThrow(
      /401 .*check the bot token/,
    );
  });

  it('reconnects the WebSocket after it drops, and hears mentions again', async () => {
    const a = createMattermostAdapter({
      settings: { url: mm.url, botTokenEnv: 'BOT', websocket: true },
      env: { BOT: mm.bot.token },
      log: silentLogger,
      stateDir: await tmp('mm-ws'),
    });
    adapters.push(a);
    const seen: IncomingMessage[] = [];
    await a.start({ onMessage: async (m) => void seen.push(m), onAction: async () => undefined });
    await a.ready();
    expect(mm.dropSockets()).toBeGreaterThan(0);
    const post = await waitFor(
      'a mention heard after the reconnect',
      () => {
        const p = mm.say('alice', CH, '@wheelhouse locks');
        return waitFor('the mention', () => seen.find((m) => m.ts === p.id), { timeoutMs: 1000 }).catch(
          () => undefined,
        );
      },
      { timeoutMs: 60_000 },
    );
    expect(post.text).toBe('locks');
  });

  it('settings: name the field and refuse a section that takes no commands', async () => {
    const make =
      (settings: Record<string, unknown>, env: Record<string, string> = {}) =>
      () =>
        createMattermostAdapter({ settings, env, log: silentLogger, stateDir: '/nonexistent' });
    expect(make({ url: 'http://mm.example', botTokenEnv: 'B' })).toThrow(/url: must be an https:\/\/ URL/);
    expect(make({ url: 'https://mm.example', botTokenEnv: 'B' }, { B: 't' })).toThrow(/takes no commands/);
    expect(make({ url: 'https://mm.example', botTokenEnv: 'B', slashTokenEnv: 'S' }, { B: 't' })).toThrow(
      /S, which is not set/,
    );
    expect(
      make({ url: 'https://mm.example', botTokenEnv: 'B', websocket: true, token: 'x' }, { B: 't' }),
    ).toThrow(/unknown setting\(s\) token/);
  });
});
