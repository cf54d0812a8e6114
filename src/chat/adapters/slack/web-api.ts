import { ErrorCode, WebClient } from '@slack/web-api';
import { type Logger, type ErrorCode as WheelhouseCode, WheelhouseError } from '../../../core/index.js';
import type { SlackBlock } from './render.js';
import { slackLogger } from './slack-logger.js';

/** The few Slack Web API methods Wheelhouse calls. */
export interface SlackApi {
  /** Who the bot is (`auth.test`): its user id, and the workspace URL permalinks are built on. */
  authTest(): Promise<{ userId: string; url?: string; teamId?: string }>;
  postMessage(args: {
    channel: string;
    thread_ts?: string;
    text: string;
    blocks?: SlackBlock[];
  }): Promise<{ channel: string; ts: string }>;
  update(args: { channel: string; ts: string; text: string; blocks?: SlackBlock[] }): Promise<void>;
}

export interface SlackApiOptions {
  token: string;
  /** The Web API base, ending with `/` (Slack's, or an emulator's). */
  apiUrl: string;
  log: Logger;
  /** Which variable holds the token, for messages. */
  tokenEnv: string;
  /** Per request; default 15 s. */
  timeoutMs?: number;
}

/** What to do about the errors Slack answers most (its `error` field). */
const HINTS: Record<string, string> = {
  not_in_channel: 'invite the app to the channel (/invite @Wheelhouse)',
  channel_not_found:
    'check the channel id (the channel the command came from, or notifications.routes[].channel) and that the app was added to it',
  is_archived: 'the channel is archived; route to another channel',
  invalid_auth: 'the bot token is not valid: put the Bot User OAuth Token (xoxb-...) in {env}',
  not_authed: 'no token was sent: put the Bot User OAuth Token (xoxb-...) in {env}',
  token_revoked: 'the bot token was revoked: reinstall the app and put the new token in {env}',
  account_inactive: 'the bot token belongs to a deactivated app or user: reinstall the app and update {env}',
  missing_scope:
    'the app lacks an OAuth scope: add it (see docs/slack-app-manifest.yaml), reinstall, and update {env}',
  message_not_found: 'the message was deleted; nothing to update',
  cant_update_message: 'only messages the bot posted can be updated',
  invalid_blocks: 'Slack refused the message layout; please report this as a Wheelhouse bug',
  msg_too_long: 'the message is too long; please report this as a Wheelhouse bug',
  ratelimited: 'Slack rate-limited the app; it retries later',
};

function codeFor(error: string): WheelhouseCode {
  if (['invalid_auth', 'not_authed', 'token_revoked', 'account_inactive'].includes(error)) {
    return 'UNAUTHENTICATED';
  }
  if (['not_in_channel', 'missing_scope', 'is_archived', 'cant_update_message'].includes(error)) {
    return 'FORBIDDEN';
  }
  if (['channel_not_found', 'message_not_found'].includes(error)) return 'NOT_FOUND';
  return 'UNAVAILABLE';
}

interface SlackCallError {
  code?: string;
  message?: string;
  data?: { error?: string; needed?: string; response_metadata?: { messages?: string[] } };
}

/** A Web API failure as a WheelhouseError that names the method, the channel and what to do. */
export function slackCallError(
  err: unknown,
  method: string,
  where: string,
  tokenEnv: string,
): WheelhouseError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SlackCallError;
  if (e.code === ErrorCode.PlatformError && e.data?.error) {
    const error = e.data.error;
    const hint = (HINTS[error] ?? 'see https://docs.slack.dev/reference/methods').replace('{env}', tokenEnv);
    const needed = e.data.needed ? ` (needed: ${e.data.needed})` : '';
    const detail = e.data.response_metadata?.messages?.slice(0, 3).join('; ');
    return new WheelhouseError(
      codeFor(error),
      `Slack refused ${method}${where}: ${error}${needed}${detail ? ` [${detail}]` : ''} — ${hint}`,
      { cause: err },
    );
  }
  const text = e.message ?? String(err);
  return new WheelhouseError(
    'UNAVAILABLE',
    `Slack's Web API did not answer ${method}${where}: ${text} — check that Wheelhouse can reach the API URL (chat.slack.apiUrl)`,
    { cause: err },
  );
}

export function createSlackApi(options: SlackApiOptions): SlackApi {
  const client = new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    logger: slackLogger(options.log),
    // Only method names are called: an absolute URL in an argument never redirects the token.
    allowAbsoluteUrls: false,
    timeout: options.timeoutMs ?? 15_000,
    // A reply that cannot land within a minute is not worth more attempts; 429s wait Retry-After.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  });
  const call = async <T>(method: string, args: Record<string, unknown>, where: string): Promise<T> => {
    try {
      return (await client.apiCall(method, args)) as T;
    } catch (err) {
      throw slackCallError(err, method, where, options.tokenEnv);
    }
  };
  return {
    async authTest() {
      const result = await call<{ user_id?: string; url?: string; team_id?: string }>('auth.test', {}, '');
      if (!result.user_id) {
        throw new WheelhouseError(
          'UNAVAILABLE',
          'Slack answered auth.test without a user_id; check chat.slack.apiUrl',
        );
      }
      return {
        userId: result.user_id,
        ...(result.url ? { url: result.url } : {}),
        ...(result.team_id ? { teamId: result.team_id } : {}),
      };
    },
    async postMessage(args) {
      const result = await call<{ channel?: string; ts?: string }>(
        'chat.postMessage',
        { ...args, unfurl_links: false, unfurl_media: false },
        ` in channel ${args.channel}`,
      );
      if (!result.ts) {
        throw new WheelhouseError(
          'UNAVAILABLE',
          `Slack answered chat.postMessage in ${args.channel} without a ts`,
        );
      }
      return { channel: result.channel ?? args.channel, ts: result.ts };
    },
    async update(args) {
      await call('chat.update', args, ` of message ${args.ts} in channel ${args.channel}`);
    },
  };
}
