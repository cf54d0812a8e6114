import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter, parseTeamsSettings } from '../../../../src/chat/adapters/teams/index.js';
import { silentLogger } from '../../../../src/core/index.js';
import { startChatOpsStack } from '../../../support/chatops-stack.js';
import { startTeamsEmulator, type TeamsEmulator, type TeamsUser } from '../../../support/emulators/teams.js';
import { git } from '../../../support/git.js';
import { bothAppsRunning, httpGet, platformControlRepo } from '../../../support/platform-control-repo.js';
import { freePortPrefix } from '../../../support/ports.js';
import { recordingHandler } from '../../../support/recording-handler.js';
import { tempDirs } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait-for.js';
import { cardText, verbsOf } from './cards.js';

const OPS = '19:ops0000001@thread.tacv2';
const ALERTS = '19:alerts0001@thread.tacv2';
const ALICE_DM = 'a:1alice-personal-chat';

describe('Microsoft Teams end to end: Bot Framework emulator, real git, real processes', () => {
  const tmp = tempDirs();
  let teams: TeamsEmulator;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let dev: string;
  let prod: string;
  let alice: TeamsUser;
  let bob: TeamsUser;
  let carol: TeamsUser;
  let env: Record<string, string>;
  let chatSection: string;

  const botReplies = (conversation: string, root: string) =>
    teams.thread(conversation, root).filter((m) => m.fromBot && m.id !== root);

  beforeAll(async () => {
    teams = await startTeamsEmulator();
    teams.addConversation(OPS, 'channel');
    teams.addConversation(ALERTS, 'channel');
    teams.addConversation(ALICE_DM, 'personal');
    alice = teams.user('alice');
    bob = teams.user('bob');
    carol = teams.user('carol');
    dev = await freePortPrefix();
    prod = await freePortPrefix();
    env = { WH_TEST_TEAMS_PASSWORD: teams.appPassword };
    chatSection = [
      '  teams:',
      `    appId: "${teams.appId}"`,
      '    appPasswordEnv: WH_TEST_TEAMS_PASSWORD',
      `    openIdMetadataUrl: ${teams.openIdMetadataUrl}`,
      `    tokenUrl: ${teams.tokenUrl}`,
      `    serviceUrls: ["${new URL(teams.serviceUrl).origin}"]`,
    ].join('\n');
    stack = await startChatOpsStack(
      tmp,
      platformControlRepo({
        devPrefix: dev,
        prodPrefix: prod,
        people: {
          alice: `teams:${alice.aadObjectId}`,
          bob: `teams:${bob.aadObjectId}`,
          carol: `teams:${carol.aadObjectId}`,
        },
        chat: chatSection,
        route: { platform: 'teams', channel: ALERTS },
      }),
      { env, publicUrl: 'https://wheelhouse.example.test', http: true },
    );
    teams.setBotUrl(stack.url);
    // The app is added to the alerts channel: Teams tells the bot where that conversation is.
    expect((await teams.install(ALERTS)).status).toBe(200);
    await bothAppsRunning(dev, prod);
  });

  afterAll(async () => {
    await stack?.close();
    await teams?.close();
  });

  it('status by @mention in a channel: answered with a card in the post’s thread', async () => {
    const { activity, response } = await teams.say(alice, OPS, 'status');
    expect(response.status).toBe(200);
    await stack.settle();
    const [answer, ...more] = botReplies(OPS, String(activity.id));
    expect(more).toEqual([]);
    expect(answer?.threadId).toBe(activity.id);
    expect(cardText(answer)).toContain('2 apps');
    expect(cardText(answer)).toContain('web-prod');
    // Every call the bot made was accepted by the connector (auth, conversation, card shape).
    expect(teams.calls.filter((c) => c.status >= 300)).toEqual([]);
  });

  it('sync in a thread reply: the reply card is updated in place as the sync proceeds', async () => {
    const root = await teams.say(alice, OPS, 'status web');
    await stack.settle();
    await teams.say(alice, OPS, 'sync web', { thread: String(root.activity.id) });
    await stack.settle();
    const replies = botReplies(OPS, String(root.activity.id));
    // The pipeline answers in the thread (a reply to its root), not to the reply itself.
    const final = replies.at(-1);
    expect(final?.replyToId).toBe(root.activity.id);
    expect(cardText(final)).toContain('✅');
    expect(cardText(final)).toContain(`asked by Alice (teams:${alice.aadObjectId})`);
    expect(final?.history.length).toBeGreaterThan(0);
    expect(teams.calls.some((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${final?.id}`))).toBe(
      true,
    );
  });

  it('scale in a personal chat: a commit authored by the mapped person', async () => {
    const { activity } = await teams.say(alice, ALICE_DM, 'scale web web 2');
    await stack.settle();
    const reply = teams.messages.find((m) => m.fromBot && m.replyToId === activity.id);
    expect(cardText(reply)).toContain('web: scale web to 2 replicas');
    expect(cardText(reply)).toContain('Healthy');
    expect(await httpGet(`http://127.0.0.1:${dev}1/`)).toBe('v1');
    expect(await git(stack.control, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'Alice <alice@example.com>|web: scale web to 2 replicas',
    );
    const trailers = await git(stack.control, 'log', '-1', '--format=%(trailers:only,unfold)', 'main');
    expect(trailers.split('\n')).toEqual([
      `Wheelhouse-Actor: teams:${alice.aadObjectId}`,
      `Wheelhouse-Request: ${String(activity.id)}`,
    ]);
  });

  it('approval: Approve (Action.Execute) refused for a viewer and the requester, accepted from a second person', async () => {
    const { activity } = await teams.say(alice, OPS, 'scale web-prod web 2');
    await stack.settle();
    const [request] = botReplies(OPS, String(activity.id));
    if (!request) throw new Error('no reply to the scale request');
    expect(cardText(request)).toContain('needs 1 approval');
    expect(verbsOf(request)).toEqual(['approval.approve', 'approval.deny']);
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval) throw new Error('no approval request stored');

    const clicked = await teams.execute(carol, request, 'approval.approve');
    expect(clicked.status).toBe(200);
    expect(await clicked.json()).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
    });
    await stack.settle();
    expect(
      botReplies(OPS, String(activity.id)).some((m) =>
        cardText(m).includes(`Carol (teams:${carol.aadObjectId}) lacks the approve permission`),
      ),
    ).toBe(true);
    await teams.execute(alice, request, 'approval.approve');
    await stack.settle();
    expect(botReplies(OPS, String(activity.id)).some((m) => cardText(m).includes('cannot approve it'))).toBe(
      true,
    );
    expect((await stack.store.getApproval(approval.id))?.status).toBe('pending');

    await teams.execute(bob, request, 'approval.approve');
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
    ).toBe(`Alice|teams:${bob.aadObjectId}`);
    // The request card was updated after the decision: no buttons any more.
    const updated = teams.find(request.id);
    expect(cardText(updated)).toContain(`was approved — approved by Bob (teams:${bob.aadObjectId})`);
    expect(verbsOf(updated)).toEqual([]);
  });

  it('deny through the Action.Submit fallback of a card', async () => {
    const { activity } = await teams.say(alice, OPS, 'sync web-prod');
    await stack.settle();
    const [request] = botReplies(OPS, String(activity.id));
    if (!request) throw new Error('no reply to the sync request');
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval) throw new Error('no approval request stored');
    expect((await teams.submit(bob, request, 'approval.deny')).status).toBe(200);
    await stack.settle();
    expect((await stack.store.getApproval(approval.id))?.status).toBe('denied');
    expect(cardText(teams.find(request.id))).toContain('was denied');
  });

  it('notifications go to the channel the app was added to, as new posts', async () => {
    await stack.settle();
    const alerts = teams.messages.filter((m) => m.conversationId === ALERTS && m.fromBot);
    expect(alerts.some((m) => cardText(m).includes('web (dev) synced to'))).toBe(true);
    const asked = alerts.find((m) => cardText(m).includes('approval needed'));
    expect(verbsOf(asked)).toContain('approval.approve');
    expect(alerts.some((m) => cardText(m).includes('web-prod (prod) synced'))).toBe(false);
  });

  it('a redelivered activity (same id) runs once', async () => {
    const { activity, response } = await teams.say(alice, OPS, 'whoami');
    expect(response.status).toBe(200);
    await stack.settle();
    expect(botReplies(OPS, String(activity.id))).toHaveLength(1);
    const posts = teams.calls.filter((c) => c.method === 'POST').length;
    expect((await teams.send(activity)).status).toBe(200);
    await stack.settle();
    expect(botReplies(OPS, String(activity.id))).toHaveLength(1);
    expect(teams.calls.filter((c) => c.method === 'POST').length).toBe(posts);
  });

  it('conversation references survive a restart: a new adapter posts to the alerts channel unasked', async () => {
    const file = join(stack.dataDir, 'chat', 'teams', 'conversations.json');
    const stored = JSON.parse(await readFile(file, 'utf8')) as {
      conversations: { conversationId: string }[];
    };
    expect(stored.conversations.map((c) => c.conversationId)).toContain(ALERTS);
    expect(await readFile(file, 'utf8')).not.toContain(teams.appPassword);

    const restarted = createTeamsAdapter({
      settings: parseTeamsSettings(
        {
          appId: teams.appId,
          appPasswordEnv: 'P',
          openIdMetadataUrl: teams.openIdMetadataUrl,
          tokenUrl: teams.tokenUrl,
          serviceUrls: [new URL(teams.serviceUrl).origin],
        },
        { P: teams.appPassword },
      ),
      log: silentLogger,
      stateDir: join(stack.dataDir, 'chat', 'teams'),
    });
    await restarted.start(recordingHandler());
    try {
      const ref = await restarted.post(
        { channel: ALERTS },
        { text: 'hello after a restart', blocks: [{ type: 'text', text: 'hello after a restart' }] },
      );
      expect(cardText(teams.find(ref.id))).toBe('hello after a restart');
      await expect(
        restarted.post(
          { channel: '19:never-seen@thread.tacv2' },
          { text: 'x', blocks: [{ type: 'text', text: 'x' }] },
        ),
      ).rejects.toThrow(/no Teams conversation 19:never-seen@thread.tacv2 on record: add the Wheelhouse app/);
    } finally {
      await restarted.stop();
    }
  });
});
