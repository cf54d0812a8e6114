import {
  type ChatHandler,
  errorMessage,
  type IncomingMessage,
  type Logger,
  type MessageRef,
} from '../../../core/index.js';
import type { MarkDelivered } from '../../../util/index.js';
import {
  type BlockActions,
  blockActionsSchema,
  type EventCallback,
  eventCallbackSchema,
  type SlashCommand,
  slashCommandSchema,
} from './payloads.js';
import { actionOfId } from './render.js';
import { escapeSlack, leadingMention, slackToPlain } from './text.js';
import type { SlackApi } from './web-api.js';

export const SLACK_PLATFORM = 'slack';

/** Who the bot is in the workspace (from `auth.test`). */
export interface BotIdentity {
  userId: string;
  /** `https://team.slack.com/`: permalinks are built on it. */
  url?: string;
}

export interface SlackReceiverDeps {
  api: SlackApi;
  handler(): ChatHandler | undefined;
  identity(): Promise<BotIdentity | undefined>;
  markDelivered: MarkDelivered;
  log: Logger;
  /** Keeps background work visible to `idle()`. */
  track(work: Promise<void>): void;
  /** Where slash command errors may be reported (`response_url`): Slack's hooks, or the API's own origin. */
  apiUrl: string;
}

/**
 * What Slack delivers — over HTTP or Socket Mode alike — turned into chat messages and clicks.
 * Each call returns at once (the delivery is acknowledged); the work continues in the background.
 * Retried and replayed deliveries (same `event_id`, `trigger_id` or click) run once.
 */
export interface SlackReceiver {
  event(body: unknown, retryNum?: number): void;
  command(fields: unknown): void;
  interaction(payload: unknown): void;
}

export function createSlackReceiver(deps: SlackReceiverDeps): SlackReceiver {
  // The work starts on the next turn of the event loop, so the acknowledgement goes out first.
  const run = (what: string, work: () => Promise<void>) =>
    deps.track(
      new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((err) => deps.log.error({ err: errorMessage(err) }, `could not handle a Slack ${what}`)),
    );

  async function permalink(channel: string, ts: string, thread?: string): Promise<string | undefined> {
    const url = (await deps.identity())?.url;
    if (!url) return undefined;
    const base = `${url.endsWith('/') ? url : `${url}/`}archives/${channel}/p${ts.replace('.', '')}`;
    return thread ? `${base}?thread_ts=${thread}&cid=${channel}` : base;
  }

  async function deliver(message: IncomingMessage): Promise<void> {
    const handler = deps.handler();
    if (!handler) {
      deps.log.warn('a Slack message arrived before the chat pipeline started; dropped');
      return;
    }
    await handler.onMessage(message);
  }

  async function onEvent(body: EventCallback, retryNum: number | undefined): Promise<void> {
    const fresh = await deps.markDelivered('slack:event', body.event_id);
    if (!fresh) {
      deps.log.info({ eventId: body.event_id, retryNum }, 'dropped a repeated Slack event delivery');
      return;
    }
    const e = body.event;
    const bot =
      (await deps.identity())?.userId ??
      body.authorizations?.find((a) => a.is_bot)?.user_id ??
      (e.type === 'app_mention' ? leadingMention(e.text ?? '') : undefined);
    if (!e.user || !e.ts || !e.channel || e.bot_id || e.user === bot) return;
    const isMention = e.type === 'app_mention';
    const isDirect = e.type === 'message' && e.channel_type === 'im' && e.subtype === undefined;
    if (!isMention && !isDirect) return;
    const thread = e.thread_ts && e.thread_ts !== e.ts ? e.thread_ts : undefined;
    const link = await permalink(e.channel, e.ts, thread);
    await deliver({
      platform: SLACK_PLATFORM,
      channel: e.channel,
      ...(thread ? { thread } : {}),
      user: e.user,
      text: slackToPlain(e.text ?? '', bot),
      ts: e.ts,
      ...(link ? { permalink: link } : {}),
    });
  }

  async function onCommand(command: SlashCommand): Promise<void> {
    const fresh = await deps.markDelivered('slack:command', command.trigger_id);
    if (!fresh) {
      deps.log.info({ trigger: command.trigger_id }, 'dropped a repeated Slack slash command');
      return;
    }
    // A slash command is not a message: a root message in the channel gives the work a thread.
    // It names the command word only; arguments may hold values the pipeline would redact.
    const verb = /^[a-z][a-z-]{0,30}/i.exec(command.text.trim())?.[0];
    const shown = escapeSlack(`${command.command}${verb ? ` ${verb}` : ''}`);
    let root: { channel: string; ts: string };
    try {
      root = await deps.api.postMessage({
        channel: command.channel_id,
        text: `<@${command.user_id}> ran \`${shown}\``,
      });
    } catch (err) {
      deps.log.warn(
        { channel: command.channel_id, err: errorMessage(err) },
        'could not start a thread for a Slack slash command',
      );
      await respondEphemeral(
        command.response_url,
        `Wheelhouse cannot post in this channel (${errorMessage(err)}). Invite the app with /invite, or talk to it in a direct message.`,
      );
      return;
    }
    const link = await permalink(root.channel, root.ts);
    await deliver({
      platform: SLACK_PLATFORM,
      channel: root.channel,
      user: command.user_id,
      text: slackToPlain(command.text),
      ts: root.ts,
      ...(link ? { permalink: link } : {}),
    });
  }

  async function onInteraction(payload: BlockActions): Promise<void> {
    const channel = payload.container?.channel_id ?? payload.channel?.id;
    const messageTs = payload.container?.message_ts ?? payload.message?.ts;
    if (!channel || !messageTs) return;
    const handler = deps.handler();
    if (!handler) return;
    const thread = payload.message?.thread_ts;
    const message: MessageRef = {
      platform: SLACK_PLATFORM,
      channel,
      ...(thread && thread !== messageTs ? { thread } : {}),
      id: messageTs,
    };
    for (const action of payload.actions) {
      const key = `${payload.user.id}:${channel}:${messageTs}:${action.action_id}:${action.action_ts ?? payload.trigger_id ?? ''}`;
      if (!(await deps.markDelivered('slack:action', key))) {
        deps.log.info({ action: action.action_id }, 'dropped a repeated Slack button click');
        continue;
      }
      await handler.onAction({
        platform: SLACK_PLATFORM,
        user: payload.user.id,
        action: actionOfId(action.action_id),
        value: action.value ?? '',
        message,
      });
    }
  }

  async function respondEphemeral(url: string | undefined, text: string): Promise<void> {
    if (!url || !responseUrlAllowed(url, deps.apiUrl)) return;
    try {
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      deps.log.warn(
        { err: errorMessage(err) },
        'could not answer a Slack slash command through its response_url',
      );
    }
  }

  return {
    event(body, retryNum) {
      const parsed = eventCallbackSchema.safeParse(body);
      if (!parsed.success) {
        deps.log.debug('ignored a Slack event that is not an event_callback Wheelhouse reads');
        return;
      }
      run('event', () => onEvent(parsed.data, retryNum));
    },
    command(fields) {
      const parsed = slashCommandSchema.safeParse(fields);
      if (!parsed.success) {
        deps.log.warn('ignored a Slack slash command without user, channel or trigger id');
        return;
      }
      run('slash command', () => onCommand(parsed.data));
    },
    interaction(payload) {
      const parsed = blockActionsSchema.safeParse(payload);
      if (!parsed.success) {
        deps.log.debug('ignored a Slack interaction that is not a block action');
        return;
      }
      run('button click', () => onInteraction(parsed.data));
    },
  };
}

/** `response_url`s are Slack's own (`https://hooks.slack.com/...`) or on the configured API's origin. */
export function responseUrlAllowed(url: string, apiUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.username || target.password) return false;
    if (target.protocol === 'https:' && target.hostname === 'hooks.slack.com') return true;
    return target.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}
