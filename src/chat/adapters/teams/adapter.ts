import { join } from 'node:path';
import {
  type ChatAdapter,
  type ChatHandler,
  type ChatMessage,
  errorMessage,
  type InboundResponse,
  type Logger,
  type MessageRef,
  WheelhouseError,
} from '../../../core/index.js';
import { createInFlight, deliveryCheck, type MarkDelivered } from '../../../util/index.js';
import type { ChatAdapterDeps } from '../deps.js';
import { type Activity, clickOf, splitConversationId, textOf, userOf } from './activity.js';
import { type Connector, type ConnectorTarget, createConnector } from './connector.js';
import {
  type ConversationReference,
  type ConversationStore,
  createConversationStore,
} from './conversations.js';
import { jsonResponse, teamsEndpoint } from './endpoint.js';
import { createOpenIdKeys } from './openid-keys.js';
import { renderTeamsMessage } from './render.js';
import { serviceUrlAllowed } from './service-urls.js';
import { parseTeamsSettings, type TeamsSettings } from './settings.js';
import { createTokenClient } from './token-client.js';
import { createTokenVerifier } from './verify-token.js';

export const TEAMS_PLATFORM = 'teams';

export interface TeamsAdapterOptions {
  settings: TeamsSettings;
  log: Logger;
  /** Conversation references live here (`conversations.json`). */
  stateDir: string;
  /** Remembers delivery ids (the store's); default an in-memory window. */
  markDelivered?: MarkDelivered;
  /** Wheelhouse's public URL: cut text links there. */
  dashboardUrl?: string;
  /** The clock tokens are checked against. */
  now?: () => number;
  /** An unknown signing key fetches the keys again at most this often; default 30 s. */
  keyRefreshCooldownMs?: number;
}

export interface TeamsAdapter extends ChatAdapter {
  /** Resolves when every activity handed on so far has been handled (tests, shutdown). */
  idle(): Promise<void>;
  /** The conversations the bot can post into unasked (proactive notifications). */
  conversations(): ConversationReference[];
}

/** How long delivery ids are remembered without a store: tokens live about an hour. */
const DELIVERY_WINDOW_MS = 2 * 3_600_000;

/**
 * Microsoft Teams through the Bot Framework: activities arrive at `/chat/teams/messages` with a
 * JWT the adapter verifies; replies, progress updates and notifications go to the connector REST
 * API at the conversation's service URL (allow-listed), as Adaptive Cards, with a client
 * credentials token. Conversation references are kept in `stateDir` for proactive messages.
 */
export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { settings, log } = options;
  const markDelivered = options.markDelivered ?? deliveryCheck(undefined, DELIVERY_WINDOW_MS);
  const store: ConversationStore = createConversationStore({
    file: join(options.stateDir, 'conversations.json'),
    log,
  });
  const allowed = (url: string) => serviceUrlAllowed(url, settings.serviceUrls);
  const connector: Connector = createConnector({
    tokens: createTokenClient({
      tokenUrl: settings.tokenUrl,
      appId: settings.appId,
      appPassword: settings.appPassword,
      appPasswordEnv: settings.appPasswordEnv,
      ...(options.now ? { now: options.now } : {}),
    }),
    allowed,
  });
  const verifier = createTokenVerifier({
    keys: createOpenIdKeys({
      metadataUrl: settings.openIdMetadataUrl,
      log,
      ...(options.keyRefreshCooldownMs !== undefined
        ? { refreshCooldownMs: options.keyRefreshCooldownMs }
        : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
    appId: settings.appId,
    issuers: settings.issuers,
    ...(options.now ? { now: options.now } : {}),
  });
  const inFlight = createInFlight();
  let handler: ChatHandler | undefined;

  const track = (what: string, work: Promise<void>) => {
    const tracked = work.catch((err) =>
      log.error({ err: errorMessage(err) }, `could not handle a Teams ${what}`),
    );
    void inFlight.track(tracked);
  };
  /** Starts `work` on the next turn of the event loop, so the HTTP answer goes out first. */
  const later = (what: string, work: () => Promise<void>) =>
    track(what, new Promise<void>((resolve) => setImmediate(resolve)).then(work));

  const render = (message: ChatMessage) =>
    renderTeamsMessage(message, options.dashboardUrl ? { dashboardUrl: options.dashboardUrl } : {});

  /** Where to send into a conversation (and a thread of it). */
  function targetOf(
    channel: string,
    thread?: string,
  ): ConnectorTarget & { reference: ConversationReference } {
    const reference = store.get(channel);
    if (!reference) {
      throw new WheelhouseError(
        'NOT_FOUND',
        `Wheelhouse has no Teams conversation ${channel} on record: add the Wheelhouse app to that team or chat (or mention it there once) so Teams tells it where the conversation is`,
        { details: { channel } },
      );
    }
    const inChannelThread = thread !== undefined && reference.conversationType === 'channel';
    return {
      reference,
      serviceUrl: reference.serviceUrl,
      conversationId: inChannelThread ? `${channel};messageid=${thread}` : channel,
    };
  }

  function onClick(activity: Activity, click: { action: string; value: string }): void {
    const user = userOf(activity);
    const replyTo = activity.replyToId;
    if (!user || !replyTo) return;
    const { conversationId, threadId } = splitConversationId(activity.conversation.id);
    const message: MessageRef = {
      platform: TEAMS_PLATFORM,
      channel: conversationId,
      ...(threadId ? { thread: threadId } : {}),
      id: replyTo,
    };
    const key = activity.id ?? `${replyTo}:${user}:${click.action}`;
    later('button click', async () => {
      if (!(await markDelivered('teams:action', key))) {
        log.info({ activity: activity.id }, 'dropped a repeated Teams button click');
        return;
      }
      await handler?.onAction({
        platform: TEAMS_PLATFORM,
        user,
        action: click.action,
        value: click.value,
        message,
      });
    });
  }

  function receive(activity: Activity): InboundResponse {
    const { conversationId, threadId } = splitConversationId(activity.conversation.id);
    const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
    track(
      'conversation reference',
      store.remember({
        conversationId,
        ...(activity.conversation.conversationType
          ? { conversationType: activity.conversation.conversationType }
          : {}),
        serviceUrl: activity.serviceUrl,
        ...(tenantId ? { tenantId } : {}),
        channelId: activity.channelId,
        updatedAt: new Date().toISOString(),
      }),
    );
    if (activity.type === 'invoke') {
      if (activity.name !== 'adaptiveCard/action') return jsonResponse(200, {});
      const click = clickOf(activity);
      if (click) onClick(activity, click);
      return jsonResponse(200, {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: click
          ? 'Got it — the answer follows in the thread.'
          : 'This button is not one of Wheelhouse’s.',
      });
    }
    if (activity.type !== 'message') return { status: 200 };
    const click = clickOf(activity);
    if (click) {
      onClick(activity, click);
      return { status: 200 };
    }
    const user = userOf(activity);
    const text = textOf(activity);
    if (!user || !activity.id || text === '' || activity.from?.id === activity.recipient?.id)
      return { status: 200 };
    const h = handler;
    if (!h) {
      log.warn('a Teams message arrived before the chat pipeline started; dropped');
      return { status: 200 };
    }
    const ts = activity.id;
    later('message', () =>
      h.onMessage({
        platform: TEAMS_PLATFORM,
        channel: conversationId,
        ...(threadId && threadId !== ts ? { thread: threadId } : {}),
        user,
        text,
        ts,
      }),
    );
    return { status: 200 };
  }

  const adapter: TeamsAdapter = {
    platform: TEAMS_PLATFORM,
    endpoints: [
      teamsEndpoint({
        verifier,
        channels: settings.channels,
        serviceUrls: settings.serviceUrls,
        receive,
        log,
      }),
    ],
    async start(h) {
      await store.load();
      handler = h;
    },
    async stop() {
      await adapter.idle();
      handler = undefined;
    },
    async post(target, message) {
      const to = targetOf(target.channel, target.thread);
      const activity = { type: 'message', ...render(message) };
      const id = target.thread
        ? await connector.reply(to, target.thread, activity)
        : await connector.send(to, activity);
      return {
        platform: TEAMS_PLATFORM,
        channel: target.channel,
        ...(target.thread ? { thread: target.thread } : {}),
        id,
      };
    },
    async update(ref, message) {
      const to = targetOf(ref.channel, ref.thread);
      await connector.update(to, ref.id, { type: 'message', ...render(message) });
    },
    async idle() {
      await inFlight.idle();
    },
    conversations: () => store.all(),
  };
  return adapter;
}

/** What the registry hands the adapter (see `src/chat/adapters/deps.ts`). */
export type TeamsAdapterDeps = ChatAdapterDeps;

/** The registry's factory: validates `chat.teams`, reads the secret it names, builds the adapter. */
export function teamsAdapterFactory(deps: TeamsAdapterDeps): TeamsAdapter {
  return createTeamsAdapter({
    settings: parseTeamsSettings(deps.settings, deps.env),
    log: deps.log,
    stateDir: deps.stateDir,
    markDelivered: deliveryCheck(deps.store, DELIVERY_WINDOW_MS),
    ...(deps.publicUrl ? { dashboardUrl: deps.publicUrl } : {}),
  });
}
