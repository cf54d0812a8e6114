import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../../src/chat/adapters/discord/index.js';
import { COMMANDS } from '../../../../src/chat/commands/registry.js';
import { startChatOpsStack } from '../../../support/chatops-stack.js';
import {
  type DiscordEmulator,
  type EmulatedMessage,
  startDiscordEmulator,
} from '../../../support/emulators/discord.js';
import { git } from '../../../support/git.js';
import { bothAppsRunning } from '../../../support/platform-control-repo.js';
import { freePortPrefix } from '../../../support/ports.js';
import { tempDirs } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait-for.js';
import { controlRepo, get } from '../fixtures.js';

const OPS = '1100000000000000001';
const ALERTS = '1100000000000000002';
const ALICE = '80351110224678912';
const BOB = '80351110224678913';
const CAROL = '80351110224678914';

const textOf = (m: EmulatedMessage | undefined) =>
  m
    ? [
        m.content,
        ...m.embeds.flatMap((e) => [
          String(e.description ?? ''),
          ...((e.fields as { name: string; value: string }[] | undefined) ?? []).map(
            (f) => `${f.name}: ${f.value}`,
          ),
          String((e.footer as { text?: string } | undefined)?.text ?? ''),
        ]),
      ].join('\n')
    : '';

describe('Discord end to end: emulated Discord, real git, real processes', () => {
  const tmp = tempDirs();
  let discord: DiscordEmulator;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let dev: string;
  let prod: string;

  /**
   * The messages of an interaction's thread (its deferred reply, and follow-ups of it and of the
   * clicks on its buttons — Discord marks each with the interaction that made it), once `done`.
   */
  async function thread(ids: string | readonly string[], done: (messages: EmulatedMessage[]) => boolean) {
    const wanted = new Set(typeof ids === 'string' ? [ids] : ids);
    return waitFor(
      `Discord thread ${[...wanted].join(', ')} to settle`,
      async () => {
        await stack.settle();
        const messages = discord.messages.filter((m) => wanted.has(m.interaction_metadata?.id ?? ''));
        return messages.length > 0 && done(messages) ? messages : false;
      },
      { timeoutMs: 90_000 },
    );
  }

  async function slash(
    user: string,
    subcommand: string,
    options: Record<string, string | number | boolean> = {},
  ) {
    const result = await discord.slash({ user, channel: OPS, subcommand, options });
    expect(result.timedOut).toBe(false);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ type: 5 });
    return String(result.interaction.id);
  }

  const final = (messages: EmulatedMessage[]) =>
    messages[0] !== undefined && (messages[0].flags & 128) === 0 && !messages[0].content.startsWith('⏳');

  beforeAll(async () => {
    discord = await startDiscordEmulator({ channels: [OPS, ALERTS] });
    dev = await freePortPrefix();
    prod = await freePortPrefix();
    const env = { DISCORD_BOT_TOKEN: discord.botToken };
    stack = await startChatOpsStack(
      tmp,
      controlRepo({
        dev,
        prod,
        platform: 'discord',
        alice: ALICE,
        bob: BOB,
        alerts: ALERTS,
        chat: `applicationId: "${discord.applicationId}"
publicKey: "${discord.publicKeyHex}"
botTokenEnv: DISCORD_BOT_TOKEN
apiBaseUrl: "${discord.url}"
guildId: "${discord.guildId}"`,
      }),
      { env, http: true },
    );
    // What `wheelhouse chat register discord` does.
    const settings = stack.engine.config().chat.discord ?? {};
    const registered = await registerDiscordCommands({ settings, env, commands: COMMANDS });
    expect(registered).toMatchObject({ scope: 'guild', command: 'wh' });
    await discord.setInteractionsUrl(`${stack.url}/chat/discord/interactions`);
    await bothAppsRunning(dev, prod);
  });

  afterAll(async () => {
    await stack?.close();
    await discord?.close();
  });

  it('registered one /wh command whose subcommands are the catalog', () => {
    const [command] = discord.commands.guilds.get(discord.guildId) ?? [];
    const names = ((command?.options as { name: string }[] | undefined) ?? []).map((o) => o.name);
    expect(command?.name).toBe('wh');
    expect(names).toEqual(expect.arrayContaining(['status', 'sync', 'scale', 'approve', 'deny', 'run']));
    // Discord refuses more than 25 subcommands; `run` reaches the rest of the catalog.
    expect(names.length).toBeLessThanOrEqual(25);
    expect(names.at(-1)).toBe('run');
  });

  it('status: a deferred reply, edited into the answer', async () => {
    const id = await slash(ALICE, 'status');
    const [reply] = await thread(id, final);
    expect(textOf(reply)).toContain('web-prod');
    expect(reply?.via).toBe('interaction');
  });

  it('scale: a commit authored by Alice, applied, the reply ends healthy', async () => {
    const id = await slash(ALICE, 'scale', { app: 'web', process: 'web', n: 2 });
    const [reply] = await thread(id, (m) => final(m) && textOf(m[0]).includes('Healthy'));
    expect(reply?.content).toContain('web: scale web to 2 replicas');
    expect(reply?.embeds[0]?.color).toBe(0x2eb67d);
    expect(reply?.edits).toBeGreaterThan(1);
    expect(await get(`http://127.0.0.1:${dev}1/`)).toBe('v1');
    expect(await git(stack.control, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'Alice <alice@example.com>|web: scale web to 2 replicas',
    );
    expect(await git(stack.control, 'log', '-1', '--format=%(trailers:only,unfold)', 'main')).toBe(
      `Wheelhouse-Actor: discord:${ALICE}\nWheelhouse-Request: ${id}`,
    );
  });

  it('sync, through a rate-limited API: the reply still lands', async () => {
    discord.rateLimitNext(2);
    const id = await slash(ALICE, 'run', { command: 'sync web' });
    const [reply] = await thread(id, (m) => final(m) && textOf(m[0]).includes('synced: web runs'));
    expect(textOf(reply)).toContain('Healthy');
    expect(discord.requests.some((r) => r.status === 429)).toBe(true);
  });

  it('a notification is routed to its channel, posted with the bot token', async () => {
    const notice = await waitFor('a sync notice in the alerts channel', () =>
      discord.channel(ALERTS).find((m) => m.content.includes('web (dev) synced to')),
    );
    expect(notice.via).toBe('bot');
    expect(notice.interaction_metadata).toBeUndefined();
  });

  it('approval: buttons; a viewer and the requester are refused, Bob approves with a click', async () => {
    const id = await slash(ALICE, 'scale', { app: 'web-prod', process: 'web', n: 2 });
    const [request] = await thread(id, (m) => final(m) && (m[0]?.components.length ?? 0) > 0);
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval || !request) throw new Error('no approval request');
    const approve = `wh:approval.approve:${approval.id}`;
    expect(request.components[0]?.components.map((b) => [b.label, b.custom_id, b.style])).toEqual([
      ['Approve', approve, 1],
      ['Deny', `wh:approval.deny:${approval.id}`, 4],
    ]);

    const carol = await discord.click({ user: CAROL, message: request, customId: approve });
    expect(carol.body).toEqual({ type: 6 });
    // Follow-ups to a click carry the click's interaction, as on Discord.
    const refusedCarol = await thread(String(carol.interaction.id), (m) =>
      m.some((x) => textOf(x).includes('lacks the approve permission')),
    );
    expect(textOf(refusedCarol.at(-1))).toContain(`discord:${CAROL}`);

    const self = await discord.click({ user: ALICE, message: request, customId: approve });
    await thread(String(self.interaction.id), (m) => m.some((x) => textOf(x).includes('cannot approve')));
    expect((await stack.store.getApproval(approval.id))?.status).toBe('pending');

    const bob = await discord.click({ user: BOB, message: request, customId: approve });
    expect(bob.body).toEqual({ type: 6 });
    const messages = await thread(String(bob.interaction.id), (m) =>
      m.some((x) => textOf(x).includes('web-prod: scale web to 2 replicas') && textOf(x).includes('Healthy')),
    );
    await waitFor('the request message to lose its buttons', async () => {
      await stack.settle();
      return request.components.length === 0 && textOf(request).includes('was approved');
    });
    expect(messages.some((m) => textOf(m).includes(`Bob (discord:${BOB})`))).toBe(true);
    expect(await get(`http://127.0.0.1:${prod}1/`)).toBe('prod-v1');
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an|%(trailers:key=Wheelhouse-Approved-By,valueonly,separator=)',
        'main',
      ),
    ).toBe(`Alice|discord:${BOB}`);
    const notice = discord.channel(ALERTS).find((m) => m.content.includes('approval needed'));
    expect(notice?.components[0]?.components[0]?.custom_id).toBe(approve);
  });

  describe('the interactions endpoint refuses what Discord would never send', () => {
    const interaction = () => discord.interaction({ user: ALICE, channel: OPS, subcommand: 'status' });

    it('a forged signature, a tampered body, and missing signature headers', async () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      expect((await discord.deliver(interaction(), { key: privateKey })).status).toBe(401);
      const tampered = await discord.deliver(interaction(), {
        tamper: (b) => b.replace('"status"', '"locks"'),
      });
      expect(tampered.status).toBe(401);
      const unsigned = await fetch(`${stack.url}/chat/discord/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(interaction()),
      });
      expect(unsigned.status).toBe(401);
    });

    it('stale and future timestamps', async () => {
      const now = Math.floor(Date.now() / 1000);
      expect((await discord.deliver(interaction(), { timestamp: now - 600 })).status).toBe(401);
      expect((await discord.deliver(interaction(), { timestamp: now + 600 })).status).toBe(401);
    });

    it('an interaction for another application (wrong audience)', async () => {
      const other = discord.interaction({
        user: ALICE,
        channel: OPS,
        subcommand: 'status',
        applicationId: '999999999999999999',
      });
      expect((await discord.deliver(other)).status).toBe(401);
    });

    it('a replayed interaction runs once', async () => {
      const payload = discord.interaction({
        user: ALICE,
        channel: OPS,
        subcommand: 'run',
        options: { command: 'lock web replay test' },
      });
      expect((await discord.deliver(payload)).status).toBe(200);
      const again = await discord.deliver(payload);
      expect(again.status).toBe(409);
      // Remembered by the store, so a restarted Wheelhouse refuses it too.
      expect(await stack.store.markDelivered('discord', String(payload.id))).toBe(false);
      await thread(String(payload.id), final);
      const audit = await stack.store.listAudit({ limit: 200 });
      expect(
        audit.filter((e) => e.text === 'lock web replay test' && e.details?.phase !== 'intent'),
      ).toHaveLength(1);
      const unlock = await slash(ALICE, 'unlock', { app: 'web' });
      await thread(unlock, final);
    });

    it('an oversized payload', async () => {
      const big = { ...interaction(), padding: 'x'.repeat(2 * 1024 * 1024) };
      expect((await discord.deliver(big)).status).toBe(413);
    });

    it('a subcommand Wheelhouse does not know gets a private hint', async () => {
      const payload = interaction() as { data: { options: { name: string }[] } } & Record<string, unknown>;
      const first = payload.data.options[0];
      if (first) first.name = 'frobnicate';
      const result = await discord.deliver(payload);
      expect(result.body).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(JSON.stringify(result.body)).toContain('wheelhouse chat register discord');
    });
  });
});
