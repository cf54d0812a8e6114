import { z } from 'zod';
import { WheelhouseError } from '../../../core/index.js';
import { describeSettingsIssues } from '../../../util/index.js';
import { envNameField, secureUrl } from '../settings-fields.js';

const envName = envNameField('MATTERMOST_BOT_TOKEN');

/** `chat.mattermost` in wheelhouse.yaml; every default lives here. */
export const mattermostSettingsSchema = z.strictObject({
  /** The Mattermost server, e.g. https://chat.example.com (REST API v4 and the WebSocket live under it). */
  url: secureUrl(),
  /** The bot account's access token (System Console → Bot Accounts). */
  botTokenEnv: envName,
  /** The slash command's token (Integrations → Slash Commands); several, comma-separated, are accepted. */
  slashTokenEnv: envName.optional(),
  /** The outgoing webhook's token (Integrations → Outgoing Webhooks). */
  webhookTokenEnv: envName.optional(),
  /**
   * The key that signs button contexts (HMAC-SHA256). Without it a random key is kept in the
   * adapter's state directory (`<data>/chat/mattermost/action-key`).
   */
  actionSecretEnv: envName.optional(),
  /** Wheelhouse's base URL as Mattermost reaches it, for button callbacks (`…/chat/mattermost/actions`). */
  publicUrl: z.string().url().optional(),
  /** Listen for @mentions and direct messages over the WebSocket API (outbound only). */
  websocket: z.boolean().default(false),
  /** Buttons older than this are refused, seconds (default 7 days). */
  actionMaxAgeSeconds: z
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 3600),
  /** Outgoing webhook posts older or newer than this are refused, seconds. */
  maxClockSkewSeconds: z.number().int().min(5).max(3600).default(300),
});

export type MattermostSettings = z.output<typeof mattermostSettingsSchema>;

export interface MattermostConfig {
  url: string;
  botToken: string;
  slashTokens: string[];
  webhookTokens: string[];
  actionSecret?: string;
  publicUrl?: string;
  websocket: boolean;
  actionMaxAgeSeconds: number;
  maxClockSkewSeconds: number;
}

function secret(env: Readonly<Record<string, string | undefined>>, name: string, field: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `chat.mattermost.${field} names the environment variable ${name}, which is not set; set it where wheelhouse runs`,
      { details: { path: `chat.mattermost.${field}` } },
    );
  }
  return value.trim();
}

const list = (value: string) =>
  value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** Validate `chat.mattermost` and read the secrets it names; throws CONFIG_INVALID naming the field. */
export function parseMattermostSettings(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  fallbackPublicUrl?: string,
): MattermostConfig {
  const result = mattermostSettingsSchema.safeParse(raw);
  if (!result.success) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `chat.mattermost in wheelhouse.yaml is invalid: ${describeSettingsIssues(result.error.issues).join('; ')}. See docs/chat-mattermost.md`,
      { details: { path: 'chat.mattermost' } },
    );
  }
  const s = result.data;
  if (!s.slashTokenEnv && !s.webhookTokenEnv && !s.websocket) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      'chat.mattermost takes no commands: set slashTokenEnv (a slash command), webhookTokenEnv (an outgoing webhook) or websocket: true (@mentions)',
      { details: { path: 'chat.mattermost' } },
    );
  }
  const publicUrl = s.publicUrl ?? fallbackPublicUrl;
  return {
    url: s.url.replace(/\/+$/, ''),
    botToken: secret(env, s.botTokenEnv, 'botTokenEnv'),
    slashTokens: s.slashTokenEnv ? list(secret(env, s.slashTokenEnv, 'slashTokenEnv')) : [],
    webhookTokens: s.webhookTokenEnv ? list(secret(env, s.webhookTokenEnv, 'webhookTokenEnv')) : [],
    ...(s.actionSecretEnv ? { actionSecret: secret(env, s.actionSecretEnv, 'actionSecretEnv') } : {}),
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
    websocket: s.websocket,
    actionMaxAgeSeconds: s.actionMaxAgeSeconds,
    maxClockSkewSeconds: s.maxClockSkewSeconds,
  };
}
