import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatOpsStack } from '../../../support/chatops-stack.js';
import {
  type EmulatedMessage,
  type SlackEmulator,
  startSlackEmulator,
} from '../../../support/emulators/slack.js';
import { git } from '../../../support/git.js';
import { bothAppsRunning, httpGet, platformControlRepo } from '../../../support/platform-control-repo.js';
import { freePortPrefix } from '../../../support/ports.js';
import { tempDirs } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait-for.js';

const ALICE = 'UALICE0001';
const BOB = 'UBOB000001';
const CAROL = 'UCAROL0001';
const OPS = 'C0OPS00001';
const ALERTS = 'C0ALERTS01';

describe('Slack end to end: HTTP mode against the emulator, real git, real processes', () => {
  const tmp = tempDirs();
  let slack: SlackEmulator;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let dev: string;
  let prod: string;

  /** The bot's replies in a thread (the root excluded), oldest first. */
  const replies = (channel: string, root: string) =>
    slack.thread(channel, root).filter((m) => m.bot && m.ts !== root);
  const blocksOf = (m: EmulatedMessage | undefined) => JSON.stringify(m?.blocks ?? []);

  beforeAll(async () => {
    slack = await startSlackEmulator();
    slack.addChannel(OPS);
    slack.addChannel(ALERTS);
    dev = await freePortPrefix();
    prod = await freePortPrefix();
    stack = await startChatOpsStack(
      tmp,
      platformControlRepo({
        devPrefix: dev,
        prodPrefix: prod,
        people: { alice: `slack:${ALICE}`, bob: `slack:${BOB}`, carol: `slack:${CAROL}` },
        chat: `  slack:\n    botTokenEnv: WH_TEST_SLACK_BOT_TOKEN\n    signingSecretEnv: WH_TEST_SLACK_SIGNING_SECRET\n    apiUrl: ${slack.apiUrl}`,
        route: { platform: 'slack', channel: ALERTS },
      }),
      {
        env: { WH_TEST_SLACK_BOT_TOKEN: slack.botToken, WH_TEST_SLACK_SIGNING_SECRET: slack.signingSecret },
        publicUrl: 'https://wheelhouse.example.test',
        http: true,
      },
    );
    slack.setAppUrl(stack.url);
    await bothAppsRunning(dev, prod);
  });

  afterAll(async () => {
    await stack?.close();
    await slack?.close();
  });

  it('status by slash command: acknowledged at once, answered in a thread of its own', async () => {
    const { response } = await slack.slashCommand(ALICE, OPS, 'status');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await stack.settle();
    const root = slack.messages.find(
      (m) => m.channel === OPS && m.bot && m.text.includes('ran `/wh status`'),
    );
    if (!root) throw new Error('no thread root for the slash command');
    expect(root.text).toBe(`<@${ALICE}> ran \`/wh status\``);
    const [answer] = replies(OPS, root.ts);
    expect(answer?.thread_ts).toBe(root.ts);
    expect(answer?.text).toContain('2 apps');
    expect(blocksOf(answer)).toContain('web-prod');
    // Every message the adapter sent passed Slack's Block Kit validation.
    expect(slack.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('sync by @mention: the reply in the thread is updated as the sync proceeds', async () => {
    const { message, response } = await slack.mention(ALICE, OPS, 'sync web');
    expect(response.status).toBe(200);
    await stack.settle();
    const [reply, ...more] = replies(OPS, message.ts);
    expect(more).toEqual([]);
    expect(reply?.thread_ts).toBe(message.ts);
    expect(reply?.text).toContain('✅');
    expect(reply?.text).toContain('asked by Alice (slack:UALICE0001)');
    // First the acknowledgement ("on it"), then updates in place.
    expect(reply?.history[0]?.text).toContain('on it');
  });

  it('scale by direct message: a commit authored by the mapped person, linked to the Slack message', async () => {
    const { message } = await slack.dm(ALICE, 'scale web web 2');
    await stack.settle();
    const [reply] = replies(message.channel, message.ts);
    expect(reply?.text).toContain('web: scale web to 2 replicas');
    expect(reply?.text).toContain('Healthy');
    expect(await httpGet(`http://127.0.0.1:${dev}1/`)).toBe('v1');
    expect(await git(stack.control, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'Alice <alice@example.com>|web: scale web to 2 replicas',
    );
    const trailers = await git(stack.control, 'log', '-1', '--format=%(trailers:only,unfold)', 'main');
    expect(trailers.split('\n')).toEqual([
      `Wheelhouse-Actor: slack:${ALICE}`,
      `Wheelhouse-Request: ${slack.workspaceUrl}archives/${message.channel}/p${message.ts.replace('.', '')}`,
    ]);
  });

  it('approval: Approve buttons; a viewer and the requester are refused, a second person approves', async () => {
    const { message } = await slack.mention(ALICE, OPS, 'scale web-prod web 2');
    await stack.settle();
    const [request] = replies(OPS, message.ts);
    if (!request) throw new Error('no reply to the scale request');
    expect(request.text).toContain('needs 1 approval');
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval) throw new Error('no approval request stored');
    expect(blocksOf(request)).toContain(`"value":"${approval.id}"`);

    // Carol may only read: her click is refused like a typed command would be.
    expect((await slack.click(CAROL, request, 'approval.approve')).status).toBe(200);
    await stack.settle();
    const refusal = replies(OPS, message.ts).find((m) =>
      m.text.includes('Carol (slack:UCAROL0001) lacks the approve permission'),
    );
    expect(refusal?.text).toContain('🚫');
    // Alice cannot approve her own request.
    await slack.click(ALICE, request, 'approval.approve');
    await stack.settle();
    expect(replies(OPS, message.ts).some((m) => m.text.includes('cannot approve it'))).toBe(true);
    expect((await stack.store.getApproval(approval.id))?.status).toBe('pending');

    await slack.click(BOB, request, 'approval.approve');
    await stack.settle();
    await waitFor(
      'the approved scale to run',
      async () => (await httpGet(`http://127.0.0.1:${prod}1/`)) === 'prod-v1',
      {
        timeoutMs: 60_000,
      },
    );
    await stack.settle();
    expect((await stack.store.getApproval(approval.id))?.status).toBe('executed');
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an|%(trailers:key=Wheelhouse-Approved-By,valueonly,separator=)',
        'main',
      ),
    ).toBe(`Alice|slack:${BOB}`);
    // The request message was updated after the decision: the buttons are gone.
    const updated = slack.find(request.ts);
    expect(updated?.text).toContain('was approved — approved by Bob (slack:UBOB000001)');
    expect(blocksOf(updated)).not.toContain('"type":"actions"');
    const run = replies(OPS, message.ts).at(-1);
    expect(run?.text).toContain('web-prod: scale web to 2 replicas');
  });

  it('notifications are routed to the Slack channel, approval requests with buttons', async () => {
    await stack.settle();
    const alerts = slack.messages.filter((m) => m.channel === ALERTS && m.bot);
    expect(alerts.some((m) => m.text.includes('web (dev) synced to'))).toBe(true);
    const asked = alerts.find((m) => m.text.includes('approval needed'));
    expect(blocksOf(asked)).toContain('"action_id":"approval.approve"');
    // web-prod is not routed for syncs.
    expect(alerts.some((m) => m.text.includes('web-prod (prod) synced'))).toBe(false);
  });

  it('a retried event (X-Slack-Retry-Num) and a replayed slash command never run twice', async () => {
    const first = await slack.mention(ALICE, OPS, 'whoami');
    await stack.settle();
    const before = slack.calls.length;
    expect(replies(OPS, first.message.ts)).toHaveLength(1);
    const retry = await slack.deliverEvent(first.body, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await stack.settle();
    expect(replies(OPS, first.message.ts)).toHaveLength(1);
    expect(slack.calls.length).toBe(before);

    const command = await slack.slashCommand(BOB, OPS, 'whoami');
    await stack.settle();
    const roots = () => slack.messages.filter((m) => m.bot && m.text === `<@${BOB}> ran \`/wh whoami\``);
    expect(roots()).toHaveLength(1);
    const replay = await slack.post(
      '/chat/slack/commands',
      new URLSearchParams(command.fields).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(replay.status).toBe(200);
    await stack.settle();
    expect(roots()).toHaveLength(1);
  });

  it('a slash command in a channel the app is not in is answered privately with what to do', async () => {
    slack.addChannel('C0NOBOT001', { member: false });
    await slack.slashCommand(ALICE, 'C0NOBOT001', 'status');
    await stack.settle();
    const answer = slack.responses.at(-1)?.body as { response_type?: string; text?: string } | undefined;
    expect(answer?.response_type).toBe('ephemeral');
    expect(answer?.text).toContain('not_in_channel');
    expect(answer?.text).toContain('/invite');
  });
});
