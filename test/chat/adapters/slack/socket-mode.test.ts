import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSlackAdapter,
  parseSlackSettings,
  type SlackAdapter,
} from '../../../../src/chat/adapters/slack/index.js';
import { captureLogger } from '../../../support/capture-logger.js';
import { type SlackEmulator, startSlackEmulator } from '../../../support/emulators/slack.js';
import { recordingHandler } from '../../../support/recording-handler.js';
import { waitFor } from '../../../support/wait-for.js';

const OPS = 'C0OPS00001';

describe('Slack Socket Mode against the emulated connections.open + WebSocket', () => {
  let slack: SlackEmulator;
  let adapter: SlackAdapter;
  const handler = recordingHandler();

  beforeAll(async () => {
    slack = await startSlackEmulator();
    slack.addChannel(OPS);
    adapter = createSlackAdapter({
      settings: parseSlackSettings(
        { mode: 'socket', botTokenEnv: 'BOT', appTokenEnv: 'APP', apiUrl: slack.apiUrl },
        { BOT: slack.botToken, APP: slack.appToken },
      ),
      log: captureLogger().logger,
    });
    await adapter.start(handler);
    await waitFor('the socket to connect', () => slack.socketCount() === 1 && adapter.socketConnected());
  });

  afterAll(async () => {
    await adapter?.stop();
    await slack?.close();
  });

  it('serves no HTTP endpoints: nothing reaches in', () => {
    expect(adapter.endpoints).toBeUndefined();
  });

  it('acknowledges an events_api envelope and hands the mention on; a retry runs once', async () => {
    const message = slack.say('UALICE0001', OPS, `<@${slack.botUserId}> status`);
    const payload = slack.eventEnvelope({
      type: 'app_mention',
      user: 'UALICE0001',
      text: message.text,
      ts: message.ts,
      channel: OPS,
    });
    const ack = await slack.sendEnvelope('events_api', payload, { envelopeId: 'env-mention-1' });
    expect(ack.envelope_id).toBe('env-mention-1');
    await adapter.idle();
    expect(handler.messages.at(-1)).toMatchObject({
      channel: OPS,
      user: 'UALICE0001',
      text: 'status',
      ts: message.ts,
    });
    const before = handler.messages.length;
    const retried = await slack.sendEnvelope('events_api', payload, { retryAttempt: 1 });
    expect(retried.envelope_id).toBeDefined();
    await adapter.idle();
    expect(handler.messages).toHaveLength(before);
  });

  it('a slash command envelope starts a thread and is handed on with it', async () => {
    await slack.sendEnvelope('slash_commands', {
      command: '/wh',
      text: 'whoami',
      user_id: 'UBOB000001',
      channel_id: OPS,
      trigger_id: 'trigger-socket-1',
      team_id: slack.teamId,
    });
    await adapter.idle();
    const root = slack.messages.find((m) => m.bot && m.text === '<@UBOB000001> ran `/wh whoami`');
    expect(root).toBeDefined();
    expect(handler.messages.at(-1)).toMatchObject({ user: 'UBOB000001', text: 'whoami', ts: root?.ts });
  });

  it('an interactive envelope (a button click) becomes an action', async () => {
    const posted = await adapter.post(
      { channel: OPS },
      {
        text: 'approve?',
        blocks: [{ type: 'buttons', buttons: [{ action: 'approval.deny', label: 'Deny', value: 'r9' }] }],
      },
    );
    const message = slack.find(posted.id);
    if (!message) throw new Error('not posted');
    await slack.sendEnvelope('interactive', slack.blockActions('UBOB000001', message, 'approval.deny'));
    await adapter.idle();
    expect(handler.actions.at(-1)).toMatchObject({
      user: 'UBOB000001',
      action: 'approval.deny',
      value: 'r9',
    });
  });

  it('reconnects when Slack asks it to (disconnect: refresh_requested)', async () => {
    const acksBefore = slack.acks.length;
    const connections = slack.connectionsAccepted();
    slack.refreshSocket();
    await waitFor(
      'a new socket',
      () =>
        slack.connectionsAccepted() === connections + 1 &&
        slack.socketCount() === 1 &&
        adapter.socketConnected(),
      { timeoutMs: 60_000 },
    );
    const message = slack.say('UALICE0001', OPS, `<@${slack.botUserId}> locks`);
    await slack.sendEnvelope(
      'events_api',
      slack.eventEnvelope({
        type: 'app_mention',
        user: 'UALICE0001',
        text: message.text,
        ts: message.ts,
        channel: OPS,
      }),
    );
    await adapter.idle();
    expect(handler.messages.at(-1)?.text).toBe('locks');
    expect(slack.acks.length).toBe(acksBefore + 1);
  });

  it('an app token Slack refuses is logged with what to fix, and retried, never thrown', async () => {
    const { logger, lines } = captureLogger();
    const wrong = createSlackAdapter({
      settings: parseSlackSettings(
        { mode: 'socket', botTokenEnv: 'BOT', appTokenEnv: 'APP', apiUrl: slack.apiUrl },
        // A bot token where the app-level token belongs: Slack answers not_allowed_token_type.
        { BOT: slack.botToken, APP: slack.botToken },
      ),
      log: logger,
    });
    await wrong.start(recordingHandler());
    try {
      const line = await waitFor('the error to be logged', () =>
        lines.find(
          (l) => l.level === 'error' && l.msg.includes('could not connect to Slack over Socket Mode'),
        ),
      );
      expect(line.msg).toContain('APP');
      expect(String(line.obj.err)).toContain('not_allowed_token_type');
      expect(JSON.stringify(lines)).not.toContain(slack.botToken);
      expect(wrong.socketConnected()).toBe(false);
    } finally {
      await wrong.stop();
    }
  });

  it('stop() closes the socket', async () => {
    await adapter.stop();
    await waitFor('the socket to close', () => slack.socketCount() === 0);
    expect(adapter.socketConnected()).toBe(false);
  });
});
