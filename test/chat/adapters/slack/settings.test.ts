import { describe, expect, it } from 'vitest';
import {
  parseSlackSettings,
  slackSignature,
  verifySlackRequest,
} from '../../../../src/chat/adapters/slack/index.js';
import { chatAdapterFactories, configuredAdapters } from '../../../../src/chat/index.js';
import { parseControlConfig } from '../../../../src/config/index.js';
import { silentLogger } from '../../../../src/core/index.js';

const env = { BOT: 'xoxb-1', SIGNING: 'shh', APP: 'xapp-1' };

describe('chat.slack settings', () => {
  it('reads secrets from the variables it names; defaults to HTTP mode and Slack’s API', () => {
    const settings = parseSlackSettings({ botTokenEnv: 'BOT', signingSecretEnv: 'SIGNING' }, env);
    expect(settings).toMatchObject({
      mode: 'http',
      botToken: 'xoxb-1',
      signingSecret: 'shh',
      apiUrl: 'https://slack.com/api/',
    });
  });

  it('says which variable is not set, never a value', () => {
    expect(() =>
      parseSlackSettings({ botTokenEnv: 'MISSING_BOT', signingSecretEnv: 'SIGNING' }, env),
    ).toThrow(/chat\.slack\.botTokenEnv names the environment variable MISSING_BOT, which is not set/);
  });

  it('needs the signing secret in HTTP mode and the app token in Socket Mode', () => {
    expect(() => parseSlackSettings({ botTokenEnv: 'BOT' }, env)).toThrow(
      /chat\.slack\.signingSecretEnv: HTTP mode/,
    );
    expect(() => parseSlackSettings({ mode: 'socket', botTokenEnv: 'BOT' }, env)).toThrow(
      /chat\.slack\.appTokenEnv: Socket Mode connects with an app-level token/,
    );
    expect(parseSlackSettings({ mode: 'socket', botTokenEnv: 'BOT', appTokenEnv: 'APP' }, env).appToken).toBe(
      'xapp-1',
    );
  });

  it('sends the bot token only over https, or plain http on this machine', () => {
    const base = { botTokenEnv: 'BOT', signingSecretEnv: 'SIGNING' };
    expect(() => parseSlackSettings({ ...base, apiUrl: 'http://slack.example/api/' }, env)).toThrow(
      /chat\.slack\.apiUrl: must be an https:\/\/ URL \(plain http only for 127\.0\.0\.1 or localhost\)/,
    );
    expect(parseSlackSettings({ ...base, apiUrl: 'http://127.0.0.1:9/api/' }, env).apiUrl).toBe(
      'http://127.0.0.1:9/api/',
    );
  });

  it('refuses unknown keys and secrets written into the file', () => {
    expect(() =>
      parseSlackSettings({ botTokenEnv: 'BOT', signingSecretEnv: 'SIGNING', channel: 'x' }, env),
    ).toThrow(/unknown key "channel" — allowed: mode, botTokenEnv/);
    expect(() => parseSlackSettings({ botToken: 'xoxb-leaked', signingSecretEnv: 'SIGNING' }, env)).toThrow(
      /"botToken" would put a secret into Git/,
    );
    let message = '';
    try {
      parseSlackSettings({ botToken: 'xoxb-leaked', signingSecretEnv: 'SIGNING' }, env);
    } catch (err) {
      message = String(err);
    }
    expect(message).not.toContain('xoxb-leaked');
  });

  it('is registered: a chat.slack section in wheelhouse.yaml builds a Slack adapter with its endpoints', () => {
    expect(Object.keys(chatAdapterFactories)).toContain('slack');
    const parsed = parseControlConfig({
      text: 'chat:\n  slack:\n    botTokenEnv: BOT\n    signingSecretEnv: SIGNING\n',
      file: 'wheelhouse.yaml',
      controlRepo: { url: '/control', ref: 'main' },
      drivers: ['process'],
    });
    if (!parsed.config) throw new Error(JSON.stringify(parsed.issues));
    const [adapter] = configuredAdapters(parsed.config, { env, log: silentLogger, stateDir: '/nonexistent' });
    expect(adapter?.platform).toBe('slack');
    expect(adapter?.endpoints?.map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /chat/slack/events',
      'POST /chat/slack/commands',
      'POST /chat/slack/interactivity',
    ]);
  });
});

describe('v0 signature', () => {
  it('matches Slack’s documented example', () => {
    // The example from Slack's "Verifying requests from Slack" guide.
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const timestamp = '1531420618';
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature(secret, timestamp, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
    expect(
      verifySlackRequest({
        signingSecret: secret,
        timestamp,
        signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        rawBody: Buffer.from(body),
        nowMs: 1531420618 * 1000 + 1000,
      }),
    ).toEqual({ ok: true });
  });
});
