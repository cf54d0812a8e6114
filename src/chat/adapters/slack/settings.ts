import { z } from 'zod';
import { WheelhouseError } from '../../../core/index.js';
import { formatFieldPath } from '../../../util/index.js';
import { secureUrl } from '../settings-fields.js';

export const SLACK_API_URL = 'https://slack.com/api/';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = (what: string) =>
  z
    .string({ error: `name the environment variable that holds ${what}, e.g. SLACK_BOT_TOKEN` })
    .regex(ENV_NAME, { error: 'must be the name of an environment variable (letters, digits, _)' });

/** `chat.slack` in wheelhouse.yaml, as written. */
export const slackSettingsSchema = z
  .strictObject(
    {
      /** `http`: Slack calls Wheelhouse's /chat/slack/* endpoints. `socket`: Wheelhouse connects out (Socket Mode). */
      mode: z.enum(['http', 'socket'], { error: 'must be http or socket' }).default('http'),
      botTokenEnv: envName('the bot token (xoxb-...)'),
      signingSecretEnv: envName('the signing secret').optional(),
      appTokenEnv: envName('the app-level token (xapp-...)').optional(),
      /** The Web API base; the default is Slack's. */
      apiUrl: secureUrl().default(SLACK_API_URL),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeys(issue.keys) : undefined) },
  )
  .superRefine((value, ctx) => {
    if (value.mode === 'http' && !value.signingSecretEnv) {
      ctx.addIssue({
        code: 'custom',
        path: ['signingSecretEnv'],
        message:
          'HTTP mode verifies every request with the signing secret: add signingSecretEnv: SLACK_SIGNING_SECRET (or use mode: socket)',
      });
    }
    if (value.mode === 'socket' && !value.appTokenEnv) {
      ctx.addIssue({
        code: 'custom',
        path: ['appTokenEnv'],
        message:
          'Socket Mode connects with an app-level token (connections:write): add appTokenEnv: SLACK_APP_TOKEN',
      });
    }
  });

function unknownKeys(keys: readonly string[]): string {
  const allowed = 'mode, botTokenEnv, signingSecretEnv, appTokenEnv, apiUrl';
  const secretLike = keys.find((k) => /(token|secret)$/i.test(k));
  return secretLike
    ? `"${secretLike}" would put a secret into Git — name an environment variable with ${secretLike}Env instead`
    : `unknown key${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k}"`).join(', ')} — allowed: ${allowed}`;
}

/** The settings with the secrets read from the environment. */
export interface SlackSettings {
  mode: 'http' | 'socket';
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  /** Ends with `/`. */
  apiUrl: string;
  /** Names of the variables, for messages that say where to fix a secret. */
  envNames: { botToken: string; signingSecret?: string; appToken?: string };
}

/** Validates `chat.slack` and reads the secrets it names; errors say which key or variable to fix. */
export function parseSlackSettings(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): SlackSettings {
  const parsed = slackSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `chat.slack${issue.path.length ? `.${formatFieldPath(issue.path)}` : ''}: ${issue.message}`,
    );
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `the Slack settings in wheelhouse.yaml are not valid: ${problems.join('; ')} (see docs/chat-slack.md)`,
      { details: { file: 'wheelhouse.yaml', path: 'chat.slack' } },
    );
  }
  const settings = parsed.data;
  const read = (key: string, name: string, what: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `chat.slack.${key} names the environment variable ${name}, which is not set: export ${what} in ${name} before starting Wheelhouse`,
        { details: { file: 'wheelhouse.yaml', path: `chat.slack.${key}` } },
      );
    }
    return value.trim();
  };
  const out: SlackSettings = {
    mode: settings.mode,
    botToken: read('botTokenEnv', settings.botTokenEnv, 'the bot token (xoxb-...)'),
    apiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/`,
    envNames: { botToken: settings.botTokenEnv },
  };
  if (settings.mode === 'http' && settings.signingSecretEnv) {
    out.signingSecret = read('signingSecretEnv', settings.signingSecretEnv, 'the signing secret');
    out.envNames.signingSecret = settings.signingSecretEnv;
  }
  if (settings.mode === 'socket' && settings.appTokenEnv) {
    out.appToken = read('appTokenEnv', settings.appTokenEnv, 'the app-level token (xapp-...)');
    out.envNames.appToken = settings.appTokenEnv;
  }
  return out;
}
