import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createSlackAdapter,
  parseSlackSettings,
  type SlackAdapter,
} from '../../../../src/chat/adapters/slack/index.js';
import { silentLogger } from '../../../../src/core/index.js';
import { chatEndpointRoutes } from '../../../../src/server/index.js';
import { apiServers, type TestServer } from '../../../support/api-server.js';
import { type SlackEmulator, startSlackEmulator } from '../../../support/emulators/slack.js';
import { appStatus, createFakeEngine } from '../../../support/fake-engine.js';
import { recordingHandler } from '../../../support/recording-handler.js';
import { sqliteStores } from '../../../support/sqlite-store.js';
import { waitFor } from '../../../support/wait-for.js';

const OPS = 'C0OPS00001';
const start = apiServers();
const createStore = sqliteStores();

describe('Slack HTTP endpoints refuse what is not from Slack, and run nothing twice', () => {
  let slack: SlackEmulator;
  let adapter: SlackAdapter;
  let server: TestServer;
  const handler = recordingHandler();

  beforeAll(async () => {
    slack = await startSlackEmulator();
    slack.addChannel(OPS);
    const store = await createStore();
    adapter = createSlackAdapter({
      settings: parseSlackSettings(
        { botTokenEnv: 'BOT', signingSecretEnv: 'SIGNING', apiUrl: slack.apiUrl },
        { BOT: slack.botToken, SIGNING: slack.signingSecret },
      ),
      log: silentLogger,
      markDelivered: (source, id) => store.markDelivered(source, id),
    });
    await adapter.start(handler);
    server = await start({
      engine: createFakeEngine({ apps: [appStatus('web')] }),
      store,
      plugins: { public: [chatEndpointRoutes(() => adapter.endpoints ?? [])] },
    });
    slack.setAppUrl(server.url);
  });

  afterAll(async () => {
    await adapter?.stop();
    await slack?.close();
  });

  beforeEach(async () => {
    await adapter.idle();
    handler.messages.length = 0;
    handler.actions.length = 0;
  });

  const mentionBody = (text: string) => {
    const message = slack.say('UALICE0001', OPS, `<@${slack.botUserId}> ${text}`);
    return slack.eventEnvelope({
      type: 'app_mention',
      user: 'UALICE0001',
      text: message.text,
      ts: message.ts,
      channel: OPS,
    });
  };

  const refusedWith = async (response: Response, pattern: RegExp) => {
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNAUTHENTICATED');
    expect(body.error.message).toMatch(pattern);
    await adapter.idle();
    expect(handler.messages).toEqual([]);
  };

  it('accepts a correctly signed mention and hands it on without the bot mention', async () => {
    const response = await slack.deliverEvent(mentionBody('status web'));
    expect(response.status).toBe(200);
    await adapter.idle();
    expect(handler.messages).toHaveLength(1);
    expect(handler.messages[0]).toMatchObject({
      platform: 'slack',
      channel: OPS,
      user: 'UALICE0001',
      text: 'status web',
    });
  });

  it('refuses a forged signature (another secret)', async () => {
    await refusedWith(
      await slack.deliverEvent(mentionBody('sync web'), { secret: 'not-the-secret' }),
      /signature does not match/,
    );
  });

  it('refuses a body changed after signing', async () => {
    const body = JSON.stringify(mentionBody('status'));
    const headers = slack.signatureHeaders(body);
    const response = await fetch(`${server.url}/chat/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body.replace('status', 'sync web'),
    });
    await refusedWith(response, /signature does not match/);
  });

  it('refuses requests without the signature headers', async () => {
    const response = await fetch(`${server.url}/chat/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(mentionBody('status')),
    });
    await refusedWith(response, /header is missing/);
  });

  it('refuses a timestamp more than 5 minutes old, even with a valid signature', async () => {
    const stale = Math.floor(Date.now() / 1000) - 5 * 60 - 30;
    await refusedWith(
      await slack.deliverEvent(mentionBody('status'), { timestamp: stale }),
      /more than 5 minutes old/,
    );
  });

  it('refuses a timestamp in the future, even with a valid signature', async () => {
    const future = Math.floor(Date.now() / 1000) + 120;
    await refusedWith(
      await slack.deliverEvent(mentionBody('status'), { timestamp: future }),
      /in the future/,
    );
  });

  it('answers url_verification only when it is signed', async () => {
    const body = { type: 'url_verification', challenge: 'abc123', token: 'legacy' };
    const forged = await slack.deliverEvent(body, { secret: 'wrong' });
    expect(forged.status).toBe(401);
    const ok = await slack.deliverEvent(body);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: 'abc123' });
  });

  it('runs a replayed event id once (a replay with a fresh signature, or a retry)', async () => {
    const body = mentionBody('status');
    expect((await slack.deliverEvent(body)).status).toBe(200);
    expect((await slack.deliverEvent(body, { headers: { 'x-slack-retry-num': '2' } })).status).toBe(200);
    // Same event_id, different message: still the same delivery.
    const again = { ...body, event: { ...(body.event as object), text: 'sync web' } };
    expect((await slack.deliverEvent(again)).status).toBe(200);
    await adapter.idle();
    expect(handler.messages).toHaveLength(1);
  });

  it('runs a replayed button click once', async () => {
    const posted = await adapter.post(
      { channel: OPS },
      {
        text: 'approve?',
        blocks: [
          { type: 'buttons', buttons: [{ action: 'approval.approve', label: 'Approve', value: 'r1' }] },
        ],
      },
    );
    const message = slack.find(posted.id);
    if (!message) throw new Error('the emulator has no posted message');
    const payload = slack.blockActions('UBOB000001', message, 'approval.approve');
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    for (let i = 0; i < 3; i++) {
      expect(
        (await slack.post('/chat/slack/interactivity', body, 'application/x-www-form-urlencoded')).status,
      ).toBe(200);
    }
    await adapter.idle();
    expect(handler.actions).toEqual([
      {
        platform: 'slack',
        user: 'UBOB000001',
        action: 'approval.approve',
        value: 'r1',
        message: { platform: 'slack', channel: OPS, id: posted.id },
      },
    ]);
  });

  it('refuses an oversized payload before reading it', async () => {
    const body = JSON.stringify({ ...mentionBody('status'), padding: 'x'.repeat(1024 * 1024 + 10) });
    const response = await slack.post('/chat/slack/events', body, 'application/json');
    expect(response.status).toBe(413);
    await adapter.idle();
    expect(handler.messages).toEqual([]);
  });

  it('acknowledges at once while the command is still running', async () => {
    handler.hold();
    try {
      const response = await slack.deliverEvent(mentionBody('sync web'));
      expect(response.status).toBe(200);
      await waitFor('the message to reach the handler', () => handler.messages.length === 1);
      // The handler has not finished, yet Slack already has its 200.
      let settled = false;
      void adapter.idle().then(() => {
        settled = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
    } finally {
      handler.release();
    }
    await adapter.idle();
  });

  it('ignores its own messages, other bots and message edits', async () => {
    const own = slack.say(slack.botUserId, OPS, 'hello');
    const edits = [
      slack.eventEnvelope({
        type: 'app_mention',
        user: slack.botUserId,
        text: own.text,
        ts: own.ts,
        channel: OPS,
      }),
      slack.eventEnvelope({
        type: 'app_mention',
        user: 'UOTHER',
        bot_id: 'B1',
        text: 'x',
        ts: own.ts,
        channel: OPS,
      }),
      slack.eventEnvelope({
        type: 'message',
        channel_type: 'im',
        subtype: 'message_changed',
        user: 'U1',
        text: 'sync web',
        ts: own.ts,
        channel: 'D1',
      }),
      slack.eventEnvelope({
        type: 'message',
        channel_type: 'channel',
        user: 'U1',
        text: 'sync web',
        ts: own.ts,
        channel: OPS,
      }),
    ];
    for (const body of edits) expect((await slack.deliverEvent(body)).status).toBe(200);
    await adapter.idle();
    expect(handler.messages).toEqual([]);
  });
});
