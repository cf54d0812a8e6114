import { z } from 'zod';
import { WheelhouseError } from '../../../core/index.js';
import { describeSettingsIssues } from '../../../util/index.js';
import { envNameField, secureUrl } from '../settings-fields.js';

const envName = envNameField('DISCORD_BOT_TOKEN');

const snowflake = (what: string) =>
  z.string().regex(/^\d{15,22}$/, `must be the ${what} (a number of 15–22 digits, as a string)`);

/** `chat.discord` in wheelhouse.yaml; every default lives here. */
export const discordSettingsSchema = z.strictObject({
  /** The application's id (Developer Portal → General Information). */
  applicationId: snowflake('application id'),
  /** The application's public key (hex) that verifies interaction signatures; not a secret. */
  publicKey: z
    .string()
    .regex(
      /^[0-9a-fA-F]{64}$/,
      'must be the application’s public key: 64 hex characters from the Developer Portal',
    ),
  /** The bot token, for channel messages (notifications), edits after 15 minutes, and registering commands. */
  botTokenEnv: envName.optional(),
  apiBaseUrl: secureUrl().default('https://discord.com/api/v10'),
  /** Register the slash command in this server only (appears at once) instead of globally. */
  guildId: snowflake('server (guild) id').optional(),
  /** The slash command's name: `/wh status`. */
  commandName: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, 'must be 1–32 lower-case letters, digits, - or _')
    .default('wh'),
  /** Signed requests older or newer than this are refused, seconds. */
  maxClockSkewSeconds: z.number().int().min(5).max(3600).default(300),
});

export type DiscordSettings = z.output<typeof discordSettingsSchema>;

export interface DiscordConfig extends Omit<DiscordSettings, 'botTokenEnv'> {
  botToken?: string;
  /** The variable the token comes from, for messages that name it. */
  botTokenEnv?: string;
}

/** Validate `chat.discord` and read the bot token it names; throws CONFIG_INVALID naming the field. */
export function parseDiscordSettings(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): DiscordConfig {
  const result = discordSettingsSchema.safeParse(raw);
  if (!result.success) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `chat.discord in wheelhouse.yaml is invalid: ${describeSettingsIssues(result.error.issues).join('; ')}. See docs/chat-discord.md`,
      { details: { path: 'chat.discord' } },
    );
  }
  const { botTokenEnv, ...rest } = result.data;
  if (botTokenEnv && !env[botTokenEnv]) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `chat.discord.botTokenEnv names the environment variable ${botTokenEnv}, which is not set; set it to the bot token where wheelhouse runs (or remove botTokenEnv: then notifications cannot be posted)`,
      { details: { path: 'chat.discord.botTokenEnv' } },
    );
  }
  const token = botTokenEnv ? env[botTokenEnv] : undefined;
  return { ...rest, ...(botTokenEnv ? { botTokenEnv } : {}), ...(token ? { botToken: token } : {}) };
}
