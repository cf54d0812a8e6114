import {
  type ChatAdapter,
  type ChatHandler,
  errorMessage,
  type HttpEndpoint,
  type Logger,
} from '../../../core/index.js';
import { createInFlight, deliveryCheck, type MarkDelivered } from '../../../util/index.js';
import type { ChatAdapterDeps } from '../deps.js';
import { slackEndpoints } from './endpoints.js';
import { type BotIdentity, createSlackReceiver, SLACK_PLATFORM } from './receiver.js';
import { renderSlackMessage } from './render.js';
import { parseSlackSettings, type SlackSettings } from './settings.js';
import { MAX_REQUEST_AGE_MS } from './signature.js';
import { createSocketModeConnection, type SocketModeConnection } from './socket-mode.js';
import { createSlackApi, type SlackApi } from './web-api.js';

export interface SlackAdapterOptions {
  settings: SlackSettings;
  log: Logger;
  /** Remembers delivery ids (the store's); default an in-memory window. */
  markDelivered?: MarkDelivered;
  /** Wheelhouse's public URL: cut text links there. */
  dashboardUrl?: string;
  /** The clock signatures are checked against. */
  now?: () => number;
  /** The Web API client (tests pass their own); default one on `settings.apiUrl`. */
  api?: SlackApi;
}

export interface SlackAdapter extends ChatAdapter {
  /** Resolves when every delivery handed on so far has been handled (tests, shutdown). */
  idle(): Promise<void>;
  /** Socket Mode: whether the connection is open (HTTP mode: always false). */
  socketConnected(): boolean;
}

/**
 * Slack: HTTP mode (Events API, slash command and interactivity endpoints under /chat/slack/) or
 * Socket Mode (outbound WebSocket). Replies are Block Kit messages in the request's thread
 * (`chat.postMessage` with `thread_ts`), updated in place (`chat.update`) as the work proceeds.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { settings } = options;
  const log = options.log;
  const api =
    options.api ??
    createSlackApi({
      token: settings.botToken,
      apiUrl: settings.apiUrl,
      log,
      tokenEnv: settings.envNames.botToken,
    });
  const markDelivered = options.markDelivered ?? deliveryCheck(undefined, MAX_REQUEST_AGE_MS * 2);
  const inFlight = createInFlight();
  let handler: ChatHandler | undefined;
  let identity: Promise<BotIdentity | undefined> | undefined;

  /** auth.test once; a failure is logged and tried again on the next need. */
  const whoAmI = (): Promise<BotIdentity | undefined> => {
    identity ??= api.authTest().catch((err) => {
      log.error(
        { err: errorMessage(err) },
        'Slack auth.test failed; the bot cannot tell its own mentions apart',
      );
      identity = undefined;
      return undefined;
    });
    return identity;
  };

  const receiver = createSlackReceiver({
    api,
    handler: () => handler,
    identity: whoAmI,
    markDelivered,
    log,
    apiUrl: settings.apiUrl,
    track(work) {
      void inFlight.track(work);
    },
  });

  const endpoints: HttpEndpoint[] | undefined =
    settings.mode === 'http' && settings.signingSecret
      ? slackEndpoints({
          signingSecret: settings.signingSecret,
          receiver,
          log,
          ...(options.now ? { now: options.now } : {}),
        })
      : undefined;

  let socket: SocketModeConnection | undefined;
  const render = (message: Parameters<typeof renderSlackMessage>[0]) =>
    renderSlackMessage(message, options.dashboardUrl ? { dashboardUrl: options.dashboardUrl } : {});

  const adapter: SlackAdapter = {
    platform: SLACK_PLATFORM,
    ...(endpoints ? { endpoints } : {}),
    async start(h) {
      handler = h;
      void whoAmI();
      if (settings.mode === 'socket' && settings.appToken) {
        socket = createSocketModeConnection({
          appToken: settings.appToken,
          apiUrl: settings.apiUrl,
          receiver,
          log,
          tokenEnv: settings.envNames.appToken ?? 'appTokenEnv',
        });
        socket.start();
      }
    },
    async stop() {
      await socket?.stop();
      socket = undefined;
      await adapter.idle();
      handler = undefined;
    },
    async post(target, message) {
      const posted = await api.postMessage({
        channel: target.channel,
        ...(target.thread ? { thread_ts: target.thread } : {}),
        ...render(message),
      });
      return {
        platform: SLACK_PLATFORM,
        channel: posted.channel,
        ...(target.thread ? { thread: target.thread } : {}),
        id: posted.ts,
      };
    },
    async update(ref, message) {
      await api.update({ channel: ref.channel, ts: ref.id, ...render(message) });
    },
    async idle() {
      await inFlight.idle();
    },
    socketConnected: () => socket?.connected() ?? false,
  };
  return adapter;
}

/** What the registry hands the adapter (see `src/chat/adapters/deps.ts`). */
export type SlackAdapterDeps = ChatAdapterDeps;

/** The registry's factory: validates `chat.slack`, reads the secrets it names, builds the adapter. */
export function slackAdapterFactory(deps: SlackAdapterDeps): SlackAdapter {
  return createSlackAdapter({
    settings: parseSlackSettings(deps.settings, deps.env),
    log: deps.log,
    markDelivered: deliveryCheck(deps.store, MAX_REQUEST_AGE_MS * 2),
    ...(deps.publicUrl ? { dashboardUrl: deps.publicUrl } : {}),
  });
}
