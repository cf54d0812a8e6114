import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { registerDiscordCommands } from '../../src/chat/adapters/discord/index.js';
import { COMMANDS as CATALOG } from '../../src/chat/commands/registry.js';
import { startDiscordEmulator } from '../../test/support/emulators/discord.js';
import { mattermostId, startMattermostEmulator } from '../../test/support/emulators/mattermost.js';
import { ircUser, ngircdMissing, startNgircd } from '../../test/support/ngircd.js';
import { benchChatOps } from '../lib/chatops.js';
import { importHistory } from '../lib/fast-import.js';
import type { BenchContext, BenchRow, Scenario } from '../lib/scenario.js';
import { latencyRow } from '../lib/stats.js';

const HTTP_SAMPLES = 200;
const IRC_SAMPLES = 40;
const COMMANDS = ['status', 'whoami', 'locks', 'help status'];

/** A control repo with no apps and these chat platforms, served like `wheelhouse up` does. */
async function startStack(context: BenchContext, chat: string, env: Record<string, string>) {
  const base = await context.tmp('chat-platforms');
  const control = join(base, 'control.git');
  await importHistory(control, [
    { message: 'initial\n', files: { 'wheelhouse.yaml': `apps: []\nchat:\n${chat}` } },
  ]);
  return benchChatOps(control, join(base, 'data'), { env, http: true });
}

/**
 * Request → acknowledgement per platform, against the emulators (Discord, Mattermost) and a real
 * ngircd: for Discord the signed interaction's HTTP answer (the deferred response), for
 * Mattermost the slash command's HTTP answer, for IRC the first line the bot sends back. The
 * time until the bot's first post (Discord, Mattermost) is measured too.
 */
export const chatPlatformAck: Scenario = {
  name: 'chat-platform-ack',
  description: `request → acknowledgement per platform (Discord, Mattermost: ${HTTP_SAMPLES} each against the emulators; IRC: ${IRC_SAMPLES} on ngircd)`,
  async run(context) {
    const discord = await startDiscordEmulator({ channels: ['1100000000000000001'] });
    const mm = await startMattermostEmulator();
    const channel = mattermostId();
    mm.join(channel);
    const missing = await ngircdMissing();
    if (missing) context.log(`IRC skipped: ${missing}`);
    const irc = missing ? undefined : await startNgircd(await context.tmp('ngircd'));
    const env = { DISCORD_BOT_TOKEN: discord.botToken, MM_BOT: mm.bot.token, MM_SLASH: mm.slashToken };
    const chat = [
      '  discord:',
      `    applicationId: "${discord.applicationId}"`,
      `    publicKey: "${discord.publicKeyHex}"`,
      '    botTokenEnv: DISCORD_BOT_TOKEN',
      `    apiBaseUrl: "${discord.url}"`,
      `    guildId: "${discord.guildId}"`,
      '  mattermost:',
      `    url: "${mm.url}"`,
      '    botTokenEnv: MM_BOT',
      '    slashTokenEnv: MM_SLASH',
      ...(irc
        ? [
            '  irc:',
            '    host: 127.0.0.1',
            `    port: ${irc.port}`,
            '    tls: false',
            '    channels: ["#bench"]',
            '    trustNicks: true',
            '    accountLookup: none',
            '    flood: { burst: 20, intervalMs: 50 }',
          ]
        : []),
      '',
    ].join('\n');
    const stack = await startStack(context, chat, env);
    const rows: BenchRow[] = [];
    try {
      await registerDiscordCommands({
        settings: {
          applicationId: discord.applicationId,
          publicKey: discord.publicKeyHex,
          botTokenEnv: 'DISCORD_BOT_TOKEN',
          apiBaseUrl: discord.url,
          guildId: discord.guildId,
        },
        env,
        commands: CATALOG,
      });
      await discord.setInteractionsUrl(`${stack.url}/chat/discord/interactions`);
      mm.integrations.command = `${stack.url}/chat/mattermost/command`;

      // Discord: signed interaction → deferred response; and → the reply edited in.
      const acks: number[] = [];
      const firsts: number[] = [];
      for (let i = 0; i < HTTP_SAMPLES; i++) {
        const text = COMMANDS[i % COMMANDS.length] ?? 'status';
        const started = performance.now();
        const result = await discord.slash({
          user: '80351110224678912',
          channel: '1100000000000000001',
          subcommand: 'run',
          options: { command: text },
        });
        acks.push(performance.now() - started);
        const id = String(result.interaction.id);
        for (;;) {
          const reply = discord.messages.find(
            (m) => m.interaction_metadata?.id === id && (m.flags & 128) === 0,
          );
          if (reply) break;
          await new Promise((r) => setImmediate(r));
        }
        firsts.push(performance.now() - started);
        await stack.chatops.chat.idle();
      }
      rows.push(
        latencyRow('discord ack p95', acks, 'p95 < 100 ms'),
        latencyRow('discord first reply p95', firsts),
      );

      // Mattermost: slash command → HTTP answer; and → the bot's first post.
      const mmAcks: number[] = [];
      const mmFirsts: number[] = [];
      for (let i = 0; i < HTTP_SAMPLES; i++) {
        const text = COMMANDS[i % COMMANDS.length] ?? 'status';
        const before = mm.posts.length;
        const started = performance.now();
        const response = await mm.slash('alice', channel, text);
        await response.arrayBuffer();
        mmAcks.push(performance.now() - started);
        while (!mm.posts.slice(before).some((p) => p.user_id === mm.bot.id))
          await new Promise((r) => setImmediate(r));
        mmFirsts.push(performance.now() - started);
        await stack.chatops.chat.idle();
      }
      rows.push(
        latencyRow('mattermost ack p95', mmAcks, 'p95 < 100 ms'),
        latencyRow('mattermost first reply p95', mmFirsts),
      );

      // IRC: a line in the channel → the bot's first line back.
      if (irc) {
        const adapter = stack.chatops.chat.adapter('irc') as
          | { ready(): Promise<void>; connection: { state: { joined: ReadonlySet<string> } } }
          | undefined;
        await adapter?.ready();
        while (!adapter?.connection.state.joined.has('#bench')) await new Promise((r) => setTimeout(r, 20));
        const peer = await ircUser(irc, 'bencher', ['#bench']);
        const ircAcks: number[] = [];
        try {
          for (let i = 0; i < IRC_SAMPLES; i++) {
            const text = COMMANDS[i % COMMANDS.length] ?? 'status';
            const from = peer.lines.length;
            const started = performance.now();
            peer.send(`PRIVMSG #bench :!wh ${text}`);
            await peer.waitFor(
              'the bot',
              (l) => l.command === 'PRIVMSG' && (l.prefix ?? '').startsWith('wheelhouse!'),
              from,
            );
            ircAcks.push(performance.now() - started);
            await stack.chatops.chat.idle();
            // Let the reply go out, and stay under ngircd's own per-client pacing, before the next one.
            await new Promise((r) => setTimeout(r, 1100));
          }
        } finally {
          await peer.close();
        }
        rows.push(latencyRow('irc first line p95', ircAcks, 'p95 < 100 ms'));
      }
      return rows;
    } finally {
      await stack.close();
      await discord.close();
      await mm.close();
      await irc?.stop();
    }
  },
};
