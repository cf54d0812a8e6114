import { z } from 'zod';
import { WheelhouseError } from '../../../core/index.js';
import { describeSettingsIssues } from '../../../util/index.js';
import { envNameField } from '../settings-fields.js';

const envName = envNameField('IRC_PASSWORD');

const channelName = z
  .string()
  // biome-ignore lint/suspicious/noControlCharactersInRegex: BEL (\x07) is forbidden in channel names (RFC 2812)
  .regex(/^[#&+!][^\s,\x07]{1,199}$/, 'must be a channel name such as "#ops" (no spaces or commas)');

/** `chat.irc` in wheelhouse.yaml; every default lives here. */
export const ircSettingsSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(6697),
  /** TLS (port 6697 on most networks); turn off only for a server on this machine. */
  tls: z.boolean().default(true),
  /** Accept a server certificate that does not verify (self-signed test servers only). */
  tlsInsecure: z.boolean().default(false),
  nick: z
    .string()
    .regex(/^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]{0,29}$/, 'must be a valid IRC nick')
    .default('wheelhouse'),
  username: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,10}$/)
    .optional(),
  realname: z.string().min(1).max(100).default('Wheelhouse GitOps bot'),
  /** Server password (PASS), read from this environment variable. */
  passwordEnv: envName.optional(),
  /** SASL PLAIN login of the bot's own services account. */
  sasl: z.strictObject({ account: z.string().min(1), passwordEnv: envName }).optional(),
  channels: z
    .array(z.union([channelName, z.strictObject({ name: channelName, keyEnv: envName.optional() })]))
    .min(1, 'name at least one channel to join, e.g. ["#ops"]'),
  /** What people type before a command in a channel (mentioning the bot's nick works too). */
  prefix: z
    .string()
    .regex(/^\S{1,16}$/, 'must be one word, e.g. "!wh"')
    .default('!wh'),
  /**
   * Bare nicks are weak identities: anyone can take a free nick. Only with `trustNicks: true` does
   * a nick without a services account become `irc:<nick>`; otherwise such senders stay unverified.
   */
  trustNicks: z.boolean().default(false),
  /** How a sender's services account is found: IRCv3 tags and WHOIS (`auto`), or never (`none`). */
  accountLookup: z.enum(['auto', 'none']).default('auto'),
  /** How long a WHOIS answer is trusted, ms. */
  accountCacheMs: z.number().int().min(0).default(60_000),
  /** Flood control: lines sent at once, then one line per `intervalMs`. */
  flood: z
    .strictObject({
      burst: z.number().int().min(1).max(20).default(4),
      intervalMs: z.number().int().min(50).max(60_000).default(2000),
    })
    .default({ burst: 4, intervalMs: 2000 }),
  /** Most lines one reply takes; longer ones are cut with a note. */
  maxLines: z.number().int().min(2).max(100).default(12),
  /** Send progress lines while a command works (off: only the acknowledgement and the outcome). */
  progress: z.boolean().default(false),
  /** Reconnect delays after the connection drops, ms. */
  reconnect: z
    .strictObject({
      baseMs: z.number().int().min(10).default(2000),
      maxMs: z.number().int().min(10).default(120_000),
    })
    .default({ baseMs: 2000, maxMs: 120_000 }),
});

export type IrcSettings = z.output<typeof ircSettingsSchema>;

/** The settings as the adapter uses them, with secrets read from the environment. */
export interface IrcConfig extends Omit<IrcSettings, 'channels' | 'passwordEnv' | 'sasl'> {
  channels: { name: string; key?: string }[];
  password?: string;
  sasl?: { account: string; password: string };
}

function secret(env: Readonly<Record<string, string | undefined>>, name: string, field: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `chat.irc.${field} names the environment variable ${name}, which is not set; set it where wheelhouse runs (or remove ${field})`,
      { details: { path: `chat.irc.${field}` } },
    );
  }
  return value;
}

/** Validate `chat.irc` and read the secrets it names; throws CONFIG_INVALID naming the field. */
export function parseIrcSettings(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): IrcConfig {
  const result = ircSettingsSchema.safeParse(raw);
  if (!result.success) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `chat.irc in wheelhouse.yaml is invalid: ${describeSettingsIssues(result.error.issues).join('; ')}. See docs/chat-irc.md`,
      { details: { path: 'chat.irc' } },
    );
  }
  const { channels, passwordEnv, sasl, ...rest } = result.data;
  return {
    ...rest,
    channels: channels.map((c, i) =>
      typeof c === 'string'
        ? { name: c }
        : { name: c.name, ...(c.keyEnv ? { key: secret(env, c.keyEnv, `channels.${i}.keyEnv`) } : {}) },
    ),
    ...(passwordEnv ? { password: secret(env, passwordEnv, 'passwordEnv') } : {}),
    ...(sasl
      ? { sasl: { account: sasl.account, password: secret(env, sasl.passwordEnv, 'sasl.passwordEnv') } }
      : {}),
  };
}
