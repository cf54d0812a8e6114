import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signContext } from '../../../../src/chat/adapters/mattermost/index.js';
import { startChatOpsStack } from '../../../support/chatops-stack.js';
import {
  type EmulatedPost,
  type MattermostEmulator,
  mattermostId,
  startMattermostEmulator,
} from '../../../support/emulators/mattermost.js';
import { git } from '../../../support/git.js';
import { bothAppsRunning } from '../../../support/platform-control-repo.js';
import { freePortPrefix } from '../../../support/ports.js';
import { tempDirs } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait-for.js';
import { controlRepo, get } from '../fixtures.js';

const textOf = (p: EmulatedPost | undefined) =>
  p
    ? [
        p.message,
        ...(p.props.attachments ?? []).flatMap((a) => [
          ...(a.fields ?? []).map((f) => `${f.title}: ${f.value}`),
          a.footer ?? '',
        ]),
      ].join('\n')
    : '';

describe('Mattermost end to end: emulated Mattermost, real git, real processes', () => {
  const tmp = tempDirs();
  let mm: MattermostEmulator;
  let stack: Awaited<ReturnType<typeof startChatOpsStack>>;
  let dev: string;
  let prod: string;
  const OPS = mattermostId();
  const ALERTS = mattermostId();
  const OTHER = mattermostId();
  let alice: string;
  let bob: string;

  /** The bot's post matching `accept` (after `since` posts), once everything settled. */
  async function botPost(what: string, accept: (p: EmulatedPost) => boolean, since = 0) {
    return waitFor(
      what,
      async () => {
        await stack.settle();
        return mm.posts.slice(since).find((p) => p.user_id === mm.bot.id && accept(p));
      },
      { timeoutMs: 90_000 },
    );
  }

  beforeAll(async () => {
    mm = await startMattermostEmulator();
    mm.join(OPS);
    mm.join(ALERTS);
    alice = mm.user('alice').id;
    bob = mm.user('bob').id;
    mm.user('carol');
    dev = await freePortPrefix();
    prod = await freePortPrefix();
    stack = await startChatOpsStack(
      tmp,
      controlRepo({
        dev,
        prod,
        platform: 'mattermost',
        alice,
        bob,
        alerts: ALERTS,
        chat: `url: "${mm.url}"
botTokenEnv: MM_BOT_TOKEN
slashTokenEnv: MM_SLASH_TOKEN
webhookTokenEnv: MM_WEBHOOK_TOKEN
actionSecretEnv: MM_ACTION_SECRET
websocket: true`,
      }),
      {
        env: {
          MM_BOT_TOKEN: mm.bot.token,
          MM_SLASH_TOKEN: `old-token-1234,${mm.slashToken}`,
          MM_WEBHOOK_TOKEN: mm.webhookToken,
          MM_ACTION_SECRET: 'a-long-random-secret-for-button-contexts',
        },
        http: true,
      },
    );
    mm.integrations.command = `${stack.url}/chat/mattermost/command`;
    mm.integrations.webhook = `${stack.url}/chat/mattermost/webhook`;
    const adapter = stack.chatops.chat.adapter('mattermost') as { ready(): Promise<void> } | undefined;
    await adapter?.ready();
    await bothAppsRunning(dev, prod);
  });

  afterAll(async () => {
    await stack?.close();
    await mm?.close();
  });

  it('slash command: acknowledged at once, answered in a new thread by the bot', async () => {
    const since = mm.posts.length;
    const response = await mm.slash('alice', OPS, 'status');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const reply = await botPost('the status reply', (p) => textOf(p).includes('web-prod'), since);
    expect(reply).toMatchObject({ channel_id: OPS, root_id: '' });
  });

  it('scale by slash command: a commit authored by Alice, applied, the post edited to the outcome', async () => {
    const since = mm.posts.length;
    await mm.slash('alice', OPS, 'scale web web 2');
    const reply = await botPost(
      'the scale outcome',
      (p) => textOf(p).includes('web: scale web to 2 replicas') && textOf(p).includes('Healthy'),
      since,
    );
    expect(reply.edit_at).toBeGreaterThan(0);
    expect(reply.props.attachments?.[0]?.color).toBe('#2EB67D');
    expect(await get(`http://127.0.0.1:${dev}1/`)).toBe('v1');
    expect(await git(stack.control, 'log', '-1', '--format=%an <%ae>|%s', 'main')).toBe(
      'Alice <alice@example.com>|web: scale web to 2 replicas',
    );
    expect(
      await git(stack.control, 'log', '-1', '--format=%(trailers:key=Wheelhouse-Actor,valueonly)', 'main'),
    ).toBe(`mattermost:${alice}`);
  });

  it('sync by outgoing webhook, through a rate-limited API: the reply is threaded under the post', async () => {
    mm.rateLimitNext(2);
    const { post, response } = await mm.outgoing('alice', OPS, 'wh sync web', { triggerWord: 'wh' });
    expect(response.status).toBe(200);
    const reply = await botPost(
      'the sync outcome',
      (p) => p.root_id === post.id && textOf(p).includes('synced: web runs'),
    );
    expect(textOf(reply)).toContain('Healthy');
    expect(mm.requests.some((r) => r.status === 429)).toBe(true);
  });

  it('an @mention over the WebSocket, and a direct message', async () => {
    const mention = mm.say('alice', OPS, '@wheelhouse whoami');
    const reply = await botPost(
      'the whoami reply',
      (p) => p.root_id === mention.id && textOf(p).includes(`mattermost:${alice}`),
    );
    expect(textOf(reply)).toContain('Alice');
    mm.join('dm-bob-wheelhouse');
    const dm = mm.say('bob', 'dm-bob-wheelhouse', 'locks', { channelType: 'D' });
    await botPost('the DM reply', (p) => p.root_id === dm.id);
    const chatter = mm.say('alice', OPS, 'lunch anyone?');
    await stack.settle();
    expect(mm.posts.some((p) => p.root_id === chatter.id)).toBe(false);
  });

  it('a notification is routed to its channel', async () => {
    const notice = await botPost(
      'a sync notice',
      (p) => p.channel_id === ALERTS && p.message.includes('web (dev) synced to'),
    );
    expect(notice.root_id).toBe('');
  });

  it('approval: signed buttons; a viewer and a forged click are refused, Bob approves with a click', async () => {
    const since = mm.posts.length;
    await mm.slash('alice', OPS, 'scale web-prod web 2');
    const request = await botPost('the approval request', (p) => mm.actionsOf(p).length === 2, since);
    const [approval] = await stack.store.listApprovals({ status: 'pending', app: 'web-prod' });
    if (!approval) throw new Error('no approval request');
    const [approve, deny] = mm.actionsOf(request);
    expect([approve?.name, deny?.name]).toEqual(['Approve', 'Deny']);
    expect(approve?.integration?.url).toBe(`${stack.url}/chat/mattermost/actions`);
    expect(approve?.integration?.context).toMatchObject({
      action: 'approval.approve',
      value: approval.id,
      channel: OPS,
    });
    const approveId = approve?.id ?? '';

    // Forged: another value under the real signature, a context signed with another key, another channel.
    const real = approve?.integration?.context ?? {};
    expect(
      (await mm.click('bob', request, approveId, { context: { ...real, value: 'ffffffff' } })).status,
    ).toBe(401);
    const foreign = signContext('some-other-key-entirely', {
      action: 'approval.approve',
      value: approval.id,
      channel: OPS,
      issued: Math.floor(Date.now() / 1000),
    });
    expect((await mm.click('bob', request, approveId, { context: { ...foreign } })).status).toBe(401);
    expect((await mm.click('bob', { ...request, channel_id: OTHER }, approveId)).status).toBe(401);
    expect((await stack.store.getApproval(approval.id))?.status).toBe('pending');

    expect((await mm.click('carol', request, approveId)).status).toBe(200);
    await botPost(
      'carol refused',
      (p) => p.root_id === request.id && textOf(p).includes('lacks the approve permission'),
    );
    expect((await stack.store.getApproval(approval.id))?.status).toBe('pending');

    const triggerId = `bob-click-${mattermostId()}`;
    expect((await mm.click('bob', request, approveId, { triggerId })).status).toBe(200);
    expect((await mm.click('bob', request, approveId, { triggerId })).status).toBe(409);
    // Remembered by the store, so a restarted Wheelhouse refuses the replay too.
    expect(await stack.store.markDelivered('mattermost:click', triggerId)).toBe(false);
    await botPost(
      'the approved run',
      (p) =>
        p.root_id === request.id &&
        textOf(p).includes('web-prod: scale web to 2 replicas') &&
        textOf(p).includes('Healthy'),
    );
    await waitFor('the request to lose its buttons', async () => {
      await stack.settle();
      const latest = mm.posts.find((p) => p.id === request.id);
      return latest && mm.actionsOf(latest).length === 0 && latest.message.includes('was approved');
    });
    expect(await get(`http://127.0.0.1:${prod}1/`)).toBe('prod-v1');
    expect(
      await git(
        stack.control,
        'log',
        '-1',
        '--format=%an|%(trailers:key=Wheelhouse-Approved-By,valueonly,separator=)',
        'main',
      ),
    ).toBe(`Alice|mattermost:${bob}`);
  });

  describe('the endpoints refuse what Mattermost would never send', () => {
    it('wrong slash and webhook tokens', async () => {
      expect((await mm.slash('alice', OPS, 'status', { token: 'not-the-token' })).status).toBe(401);
      expect((await mm.outgoing('alice', OPS, 'wh status', { token: 'not-the-token' })).response.status).toBe(
        401,
      );
      const none = await fetch(`${stack.url}/chat/mattermost/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'text=status&channel_id=x&user_id=y',
      });
      expect(none.status).toBe(401);
    });

    it('stale and future webhook posts', async () => {
      const stale = await mm.outgoing('alice', OPS, 'wh status', { timestamp: Date.now() - 10 * 60_000 });
      expect(stale.response.status).toBe(401);
      const future = await mm.outgoing('alice', OPS, 'wh status', { timestamp: Date.now() + 10 * 60_000 });
      expect(future.response.status).toBe(401);
    });

    it('a replayed webhook delivery runs once', async () => {
      const post = mm.say('alice', OPS, 'wh lock web replayed');
      const body = JSON.stringify({
        token: mm.webhookToken,
        channel_id: OPS,
        timestamp: Date.now(),
        user_id: alice,
        user_name: 'alice',
        post_id: post.id,
        text: 'wh lock web replayed',
        trigger_word: 'wh',
      });
      const send = () =>
        fetch(`${stack.url}/chat/mattermost/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
      await botPost('the lock reply', (p) => p.root_id === post.id && textOf(p).includes('locked'));
      await stack.settle();
      const audit = await stack.store.listAudit({ limit: 200 });
      expect(
        audit.filter((e) => e.text === 'lock web replayed' && e.details?.phase !== 'intent'),
      ).toHaveLength(1);
      await mm.slash('alice', OPS, 'unlock web');
      await waitFor('the unlock', async () => {
        await stack.settle();
        return (await stack.store.listAudit({ limit: 200 })).some((e) => e.text === 'unlock web');
      });
    });

    it('an oversized payload', async () => {
      const response = await fetch(`${stack.url}/chat/mattermost/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${mm.slashToken}&text=${'x'.repeat(2 * 1024 * 1024)}`,
      });
      expect(response.status).toBe(413);
    });
  });
});
