import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSlackEmulator } from '../../test/support/emulators/slack.js';
import { startTeamsEmulator } from '../../test/support/emulators/teams.js';
import { benchChatOps } from '../lib/chatops.js';
import { importHistory } from '../lib/fast-import.js';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { latencyRow } from '../lib/stats.js';

const REQUESTS = 200;
const OPS_SLACK = 'C0BENCH001';
const OPS_TEAMS = '19:bench0001@thread.tacv2';

/** ChatOps with the Slack and Teams adapters from the registry, the real HTTP server, and both emulators. */
async function startStack(context: BenchContext) {
  const slack = await startSlackEmulator();
  slack.addChannel(OPS_SLACK);
  const teams = await startTeamsEmulator();
  teams.addConversation(OPS_TEAMS, 'channel');
  const base = await context.tmp('chat-platforms');
  const control = join(base, 'control.git');
  await importHistory(control, [
    {
      message: 'initial\n',
      files: {
        'wheelhouse.yaml': [
          'chat:',
          '  slack:',
          '    botTokenEnv: BENCH_SLACK_BOT',
          '    signingSecretEnv: BENCH_SLACK_SIGNING',
          `    apiUrl: ${slack.apiUrl}`,
          '  teams:',
          `    appId: "${teams.appId}"`,
          '    appPasswordEnv: BENCH_TEAMS_PASSWORD',
          `    openIdMetadataUrl: ${teams.openIdMetadataUrl}`,
          `    tokenUrl: ${teams.tokenUrl}`,
          `    serviceUrls: ["${new URL(teams.serviceUrl).origin}"]`,
          '',
        ].join('\n'),
      },
    },
  ]);
  const env = {
    BENCH_SLACK_BOT: slack.botToken,
    BENCH_SLACK_SIGNING: slack.signingSecret,
    BENCH_TEAMS_PASSWORD: teams.appPassword,
  };
  const stack = await benchChatOps(control, join(base, 'data'), { env, http: true });
  slack.setAppUrl(stack.url);
  teams.setBotUrl(stack.url);
  return {
    slack,
    teams,
    chatops: stack.chatops,
    async close() {
      await stack.close();
      await slack.close();
      await teams.close();
    },
  };
}

/** Time until the response, and until the first bot message that `firstReply` resolves with. */
async function measure(
  send: () => Promise<Response>,
  firstReply: () => Promise<unknown>,
): Promise<{ ack: number; reply: number }> {
  const started = performance.now();
  const reply = firstReply().then(() => performance.now() - started);
  const response = await send();
  const ack = performance.now() - started;
  if (response.status !== 200) throw new Error(`the endpoint answered ${response.status}`);
  await response.arrayBuffer();
  return { ack, reply: await reply };
}

/** Chat platforms: signed request → acknowledgement (HTTP answer) and → first reply, against the emulators. */
export const slackTeamsAck: Scenario = {
  name: 'chat-slack-teams',
  description: `Slack and Teams: signed request → acknowledgement and → first reply in the thread, p95 over ${REQUESTS} requests each (status, whoami)`,
  async run(context) {
    const stack = await startStack(context);
    try {
      const commands = ['status', 'whoami'];
      const slackEvent = { ack: [] as number[], reply: [] as number[] };
      const slackCommand = { ack: [] as number[], reply: [] as number[] };
      const teamsActivity = { ack: [] as number[], reply: [] as number[] };
      const alice = stack.teams.user('alice');
      for (let i = 0; i < REQUESTS; i++) {
        const command = commands[i % commands.length] ?? 'status';
        // Slack: an @mention (Events API), answered in its thread.
        const message = stack.slack.say('UBENCH0001', OPS_SLACK, `<@${stack.slack.botUserId}> ${command}`);
        const envelope = stack.slack.eventEnvelope({
          type: 'app_mention',
          user: 'UBENCH0001',
          text: message.text,
          ts: message.ts,
          channel: OPS_SLACK,
        });
        const e = await measure(
          () => stack.slack.deliverEvent(envelope),
          () => stack.slack.nextMessage((m) => m.bot && m.thread_ts === message.ts),
        );
        slackEvent.ack.push(e.ack);
        slackEvent.reply.push(e.reply);
        // Slack: a slash command; the first message is the thread root.
        const c = await measure(
          async () => (await stack.slack.slashCommand('UBENCH0001', OPS_SLACK, command)).response,
          () => stack.slack.nextMessage((m) => m.bot && m.channel === OPS_SLACK && m.thread_ts === undefined),
        );
        slackCommand.ack.push(c.ack);
        slackCommand.reply.push(c.reply);
        // Teams: a channel post mentioning the bot (a freshly signed JWT each time, as the channel sends).
        const t = await measure(
          async () => (await stack.teams.say(alice, OPS_TEAMS, command)).response,
          // One request at a time: the next bot message in the channel is this one's reply.
          () => stack.teams.nextMessage((m) => m.conversationId === OPS_TEAMS),
        );
        teamsActivity.ack.push(t.ack);
        teamsActivity.reply.push(t.reply);
        await stack.chatops.chat.idle();
      }
      return [
        latencyRow('slack event → ack p95', slackEvent.ack, 'p95 < 100 ms'),
        latencyRow('slack slash command → ack p95', slackCommand.ack, 'p95 < 100 ms'),
        latencyRow('teams activity → ack p95', teamsActivity.ack, 'p95 < 100 ms'),
        latencyRow('slack event → first reply p95', slackEvent.reply),
        latencyRow('slack slash command → thread root p95', slackCommand.reply),
        latencyRow('teams activity → first reply p95', teamsActivity.reply),
      ];
    } finally {
      await stack.close();
    }
  },
};
