import { errorMessage, WheelhouseError } from '../../../core/index.js';
import { restCall } from '../rest-call.js';
import type { DiscordCommandDefinition } from './commands.js';
import type { DiscordMessageBody } from './render.js';

/**
 * The few Discord REST calls Wheelhouse makes: interaction follow-ups through the interaction's
 * webhook (no bot token needed, valid for 15 minutes), channel messages with the bot token, and
 * registering the slash command. Rate limits (429) are waited out; errors say which call failed
 * and never include a token (interaction tokens in paths are shown as `{token}`).
 */
export interface DiscordMessage {
  id: string;
  channel_id: string;
  content?: string;
}

export interface DiscordApi {
  editOriginal(token: string, body: DiscordMessageBody): Promise<DiscordMessage>;
  followUp(token: string, body: DiscordMessageBody): Promise<DiscordMessage>;
  editFollowUp(token: string, messageId: string, body: DiscordMessageBody): Promise<DiscordMessage>;
  createMessage(
    channelId: string,
    body: DiscordMessageBody & { message_reference?: { message_id: string; fail_if_not_exists: boolean } },
  ): Promise<DiscordMessage>;
  editMessage(channelId: string, messageId: string, body: DiscordMessageBody): Promise<DiscordMessage>;
  putCommands(
    commands: readonly DiscordCommandDefinition[],
    guildId?: string,
  ): Promise<{ id: string; name: string }[]>;
  readonly hasBotToken: boolean;
}

export interface DiscordApiOptions {
  baseUrl: string;
  applicationId: string;
  botToken?: string;
  /** Per-request timeout, ms (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A Discord API error: the HTTP status and Discord's JSON error code (10015 Unknown Webhook, …). */
export class DiscordApiError extends WheelhouseError {
  readonly status: number;
  readonly discordCode: number | undefined;
  constructor(status: number, discordCode: number | undefined, message: string) {
    super(
      status === 401 || status === 403 ? 'FORBIDDEN' : status >= 500 ? 'UNAVAILABLE' : 'BAD_REQUEST',
      message,
      {
        details: { status, ...(discordCode !== undefined ? { discordCode } : {}) },
      },
    );
    this.status = status;
    this.discordCode = discordCode;
  }
}

const USER_AGENT = 'DiscordBot (https://github.com/wheelhouse-gitops/wheelhouse, 0.1)';

export function createDiscordApi(options: DiscordApiOptions): DiscordApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const app = options.applicationId;

  async function call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    shown: string,
    body: unknown,
    auth: 'bot' | 'none',
  ): Promise<T> {
    if (auth === 'bot' && !options.botToken) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `Discord ${method} ${shown} needs the bot token; set chat.discord.botTokenEnv in wheelhouse.yaml and that variable where wheelhouse runs`,
      );
    }
    const answer = await restCall({
      url: `${base}${path}`,
      method,
      headers: {
        'user-agent': USER_AGENT,
        ...(auth === 'bot' ? { authorization: `Bot ${options.botToken}` } : {}),
      },
      body,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      retryAfterSeconds: (_response, json) => (json as { retry_after?: number } | undefined)?.retry_after,
      unreachable: (err) =>
        new WheelhouseError(
          'UNAVAILABLE',
          `Discord ${method} ${shown} failed: ${errorMessage(err)}; is chat.discord.apiBaseUrl (${base}) reachable?`,
          { cause: err },
        ),
    });
    if (answer.ok) return answer.json as T;
    const info = (answer.json ?? {}) as { message?: string; code?: number };
    throw new DiscordApiError(
      answer.status,
      info.code,
      `Discord ${method} ${shown} failed: ${answer.status} ${info.message ?? answer.statusText}${info.code !== undefined ? ` (code ${info.code})` : ''}`,
    );
  }

  const hook = (token: string) => `/webhooks/${app}/${encodeURIComponent(token)}`;
  return {
    hasBotToken: options.botToken !== undefined,
    editOriginal: (token, body) =>
      call(
        'PATCH',
        `${hook(token)}/messages/@original`,
        `/webhooks/${app}/{token}/messages/@original`,
        body,
        'none',
      ),
    followUp: (token, body) =>
      call('POST', `${hook(token)}?wait=true`, `/webhooks/${app}/{token}`, body, 'none'),
    editFollowUp: (token, id, body) =>
      call(
        'PATCH',
        `${hook(token)}/messages/${encodeURIComponent(id)}`,
        `/webhooks/${app}/{token}/messages/${id}`,
        body,
        'none',
      ),
    createMessage: (channel, body) =>
      call(
        'POST',
        `/channels/${encodeURIComponent(channel)}/messages`,
        `/channels/${channel}/messages`,
        body,
        'bot',
      ),
    editMessage: (channel, id, body) =>
      call(
        'PATCH',
        `/channels/${encodeURIComponent(channel)}/messages/${encodeURIComponent(id)}`,
        `/channels/${channel}/messages/${id}`,
        body,
        'bot',
      ),
    putCommands: (commands, guildId) => {
      const path = guildId
        ? `/applications/${app}/guilds/${encodeURIComponent(guildId)}/commands`
        : `/applications/${app}/commands`;
      return call('PUT', path, path, commands, 'bot');
    },
  };
}
