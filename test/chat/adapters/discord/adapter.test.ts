import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDiscordAdapter,
  type DiscordAdapter,
  registerDiscordCommands,
} from '../../../../src/chat/adapters/discord/index.js';
import { COMMANDS } from '../../../../src/chat/commands/registry.js';
import type { ChatAction, IncomingMessage } from '../../../../src/core/index.js';
import { silentLogger } from '../../../../src/core/index.js';
import { chatEndpointRoutes } from '../../../../src/server/index.js';
import { apiServers } from '../../../support/api-server.js';
import { type DiscordEmulator, startDiscordEmulator } from '../../../support/emulators/discord.js';
import { createFakeEngine } from '../../../support/fake-engine.js';
import { sqliteStores } from '../../../support/sqlite-store.js';
import { waitFor } from '../../../support/wait-for.js';

const OPS = '1200000000000000001';
const ALICE = '80351110224678912';

describe('Discord adapter: tokens, expiry and the bot token', () => {
  const start = apiServers();
  const createStore = sqliteStores();
  let discord: DiscordEmulator;
  const clock = { offsetMs: 0 };
  const adapters: DiscordAdapter[] = [];

  beforeAll(async () => {
    discord = await startDiscordEmulator({ channels: [OPS] });
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.stop()));
    await discord?.close();
  });

  function settingsFor(withBot: boolean) {
    return {
      settings: {
        applicationId: discord.applicationId,
        publicKey: discord.publicKeyHex,
        apiBaseUrl: discord.url,
        ...(withBot ? { botTokenEnv: 'BOT' } : {}),
      },
      env: { BOT: discord.botToken },
      log: silentLogger,
      stateDir: '/nonexistent',
      now: () => Date.now() + clock.offsetMs,
    };
  }

  async function serve(withBot: boolean) {
    const adapter = createDiscordAdapter(settingsFor(withBot), COMMANDS);
    adapters.push(adapter);
    const seen: IncomingMessage[] = [];
    const clicks: ChatAction[] = [];
    await adapter.start({
      onMessage: async (m) => {
        seen.push(m);
      },
      onAction: async (a) => {
        clicks.push(a);
      },
    });
    const server = await start({
      engine: createFakeEngine({ apps: [] }),
      store: await createStore(),
      plugins: { public: [chatEndpointRoutes(() => adapter.endpoints ?? [])] },
    });
    await registerDiscordCommands({
      settings: settingsFor(true).settings,
      env: { BOT: discord.botToken },
      commands: COMMANDS,
    });
    await discord.setInteractionsUrl(`${server.url}/chat/discord/interactions`);
    return { adapter, seen, clicks };
  }

  it('edits the deferred reply, then follows up, and after 15 minutes edits and replies with the bot token', async () => {
    clock.offsetMs = 0;
    discord.clock.offsetMs = 0;
    const { adapter, seen } = await serve(true);
    const result = await discord.slash({ user: ALICE, channel: OPS, subcommand: 'status' });
    expect(result.body).toEqual({ type: 5 });
    const incoming = await waitFor('the command', () => seen[0]);
    expect(incoming).toMatchObject({
      platform: 'discord',
      channel: OPS,
      user: ALICE,
      text: 'status',
      ts: result.interaction.id,
    });

    const msg = (text: string) => ({ text, blocks: [{ type: 'text' as const, text }] });
    const ref = await adapter.post({ channel: OPS, thread: incoming.ts }, msg('⏳ working'));
    const original = discord.messages.find((m) => m.id === ref.id);
    expect(original?.interaction_metadata?.id).toBe(incoming.ts);
    await adapter.update(ref, msg('✅ done'));
    expect(original?.content).toBe('✅ done');
    const second = await adapter.post({ channel: OPS, thread: incoming.ts }, msg('and one more'));
    expect(discord.messages.find((m) => m.id === second.id)?.via).toBe('interaction');

    // Interaction tokens die after 15 minutes: edits and replies go through the bot token.
    clock.offsetMs = 16 * 60_000;
    discord.clock.offsetMs = 16 * 60_000;
    await adapter.update(ref, msg('✅ done, much later'));
    expect(original?.content).toBe('✅ done, much later');
    expect(discord.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/channels/${OPS}/messages/${ref.id}`,
      status: 200,
    });
    const late = await adapter.post({ channel: OPS, thread: incoming.ts }, msg('late reply'));
    const lateMessage = discord.messages.find((m) => m.id === late.id);
    expect(lateMessage?.via).toBe('bot');
    expect(lateMessage?.message_reference?.message_id).toBe(ref.id);
  });

  it('without a bot token an edit after expiry fails with a message that says what to set', async () => {
    clock.offsetMs = 0;
    discord.clock.offsetMs = 0;
    const { adapter, seen } = await serve(false);
    const result = await discord.slash({ user: ALICE, channel: OPS, subcommand: 'whoami' });
    const incoming = await waitFor('the command', () => seen.find((m) => m.ts === result.interaction.id));
    const ref = await adapter.post(
      { channel: OPS, thread: incoming.ts },
      { text: 'x', blocks: [{ type: 'text', text: 'x' }] },
    );
    clock.offsetMs = 16 * 60_000;
    await expect(adapter.update(ref, { text: 'y', blocks: [{ type: 'text', text: 'y' }] })).rejects.toThrow(
      /chat\.discord\.botTokenEnv is not set/,
    );
    await expect(
      adapter.post({ channel: OPS }, { text: 'n', blocks: [{ type: 'text', text: 'n' }] }),
    ).rejects.toThrow(/needs the bot token/);
  });

  it('settings name the field that is wrong', () => {
    const bad =
      (settings: Record<string, unknown>, env: Record<string, string> = {}) =>
      () =>
        createDiscordAdapter({ settings, env, log: silentLogger, stateDir: '/x' }, COMMANDS);
    expect(bad({ applicationId: '1', publicKey: 'ab' })).toThrow(
      /applicationId: must be the application id.*publicKey: must be/,
    );
    expect(
      bad({
        applicationId: discord.applicationId,
        publicKey: discord.publicKeyHex,
        apiBaseUrl: 'http://discord.example/api',
      }),
    ).toThrow(/apiBaseUrl: must be an https:\/\/ URL/);
    expect(
      bad({ applicationId: discord.applicationId, publicKey: discord.publicKeyHex, botTokenEnv: 'NOPE' }),
    ).toThrow(/NOPE, which is not set/);
  });
});
