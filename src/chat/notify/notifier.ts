import {
  type ChatAdapter,
  type ChatMessage,
  type ControlConfig,
  type Engine,
  errorMessage,
  type Logger,
  type MessageRef,
  type NotificationRoute,
  type Store,
  type WheelhouseEvent,
} from '../../core/index.js';
import { context } from '../core/message.js';
import { createDeduper } from './dedupe.js';
import { createHealthEpisodes } from './health-episodes.js';
import { buildNotice, type Notice, type NoticeContext } from './notice.js';
import { environmentOf } from './notice-helpers.js';
import { createNotificationLimiter } from './rate-limit.js';
import { matchRoutes, routeTakesApp } from './route.js';

export interface NotifierOptions {
  engine: Pick<Engine, 'events' | 'status'>;
  store: Pick<Store, 'getApproval'>;
  config: () => ControlConfig;
  adapter: (platform: string) => ChatAdapter | undefined;
  log: Logger;
  commitsFor?: NoticeContext['commitsFor'];
  redact?: (text: string) => string;
  /** Identical notices to one channel within this window are sent once (default 5 min). */
  dedupeWindowMs?: number;
  /** Per channel: at most `limit` messages per `windowMs` (default 20 per minute). */
  rateLimit?: { limit: number; windowMs: number };
  /** While an app stays degraded, a "still degraded" reply in its thread at most this often (default 5 min). */
  healthSummaryEveryMs?: number;
  now?: () => number;
}

export interface Notifier {
  start(): void;
  stop(): void;
  /** Resolves when every notice taken so far was delivered (tests, shutdown). */
  idle(): Promise<void>;
  /** Route and deliver one event (start() does this for every engine event). */
  handle(event: WheelhouseEvent): Promise<void>;
}

const MAX_THREADS = 5000;

/** Where `config.invalid` goes while no wheelhouse.yaml has ever been in force. */
const NO_CONFIG_ROUTE: NotificationRoute = {
  platform: 'web',
  channel: 'ops',
  apps: [],
  environments: [],
  events: ['config.invalid'],
};

/**
 * Engine events → routed notices: one thread per operation and channel, identical notices within
 * the window sent once, a per-channel rate limit; health told per episode (health-episodes.ts).
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const now = options.now ?? Date.now;
  const dedupe = createDeduper(options.dedupeWindowMs ?? 5 * 60_000, now);
  const limiter = createNotificationLimiter({
    ...(options.rateLimit ?? { limit: 20, windowMs: 60_000 }),
    now,
  });
  const threads = new Map<string, MessageRef>();
  const episodes = createHealthEpisodes({ now, summaryEveryMs: options.healthSummaryEveryMs ?? 5 * 60_000 });
  const ctx: NoticeContext = {
    config: options.config,
    engine: options.engine,
    store: options.store,
    ...(options.commitsFor ? { commitsFor: options.commitsFor } : {}),
    redact: options.redact ?? ((t) => t),
  };
  let chain: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | undefined;

  async function deliver(notice: Notice): Promise<void> {
    let routes: ControlConfig['notifications']['routes'];
    try {
      routes = options.config().notifications.routes;
    } catch {
      // No configuration in force, so no routes: a refused wheelhouse.yaml still reaches the room
      // everyone sees, the built-in chat's default room (the dashboard's Chat page).
      if (notice.event !== 'config.invalid') return;
      routes = [NO_CONFIG_ROUTE];
    }
    const app = notice.app === '' ? undefined : { name: notice.app, environment: notice.environment };
    for (const route of matchRoutes(routes, notice.event, app)) {
      const channelKey = `${route.platform}/${route.channel}`;
      if (!dedupe.admit(`${channelKey}|${notice.fingerprint}`)) continue;
      const adapter = options.adapter(route.platform);
      if (!adapter) {
        options.log.warn(
          { platform: route.platform },
          `a notification route names platform ${route.platform}, which is not configured; skipped`,
        );
        continue;
      }
      const allowed = limiter.take(channelKey);
      if (!allowed.ok) {
        options.log.debug({ channel: channelKey }, 'notification held back by the rate limit');
        continue;
      }
      let msg: ChatMessage = notice.message;
      if (allowed.dropped > 0) {
        const note = `${allowed.dropped} earlier notification${allowed.dropped === 1 ? ' was' : 's were'} held back by this channel’s rate limit`;
        msg = { ...msg, text: `${msg.text}\n${note}`, blocks: [...msg.blocks, context(note)] };
      }
      const threadKey = `${channelKey}|${notice.operation}`;
      const thread = threads.get(threadKey);
      try {
        const ref = await adapter.post(
          { channel: route.channel, ...(thread ? { thread: thread.thread ?? thread.id } : {}) },
          msg,
        );
        if (!thread) {
          threads.set(threadKey, ref);
          if (threads.size > MAX_THREADS) threads.delete(threads.keys().next().value ?? threadKey);
        }
      } catch (err) {
        options.log.warn({ channel: channelKey, err: errorMessage(err) }, 'could not deliver a notification');
      }
    }
  }

  /**
   * False when no route can take a notice about this event's app, so none is built: building a
   * sync's notice reads its commits from Git (a `git log`), which a converge of 1,000 apps with no
   * route for them would otherwise run 1,000 times.
   */
  function routed(event: WheelhouseEvent): boolean {
    let routes: ControlConfig['notifications']['routes'];
    try {
      routes = options.config().notifications.routes;
    } catch {
      return true; // no configuration in force: deliver() knows where a refused one goes
    }
    if (routes.length === 0) return false;
    if (!('app' in event)) return true;
    const environment = routes.some((r) => r.environments.length > 0) ? environmentOf(ctx, event.app) : '';
    if (environment === undefined) return true; // not an app of the config: the notice decides
    return routes.some((route) => routeTakesApp(route, { name: event.app, environment }));
  }

  async function handle(event: WheelhouseEvent): Promise<void> {
    try {
      const notice =
        event.type === 'health.changed'
          ? episodes.observe(event, ctx)
          : routed(event)
            ? await buildNotice(event, ctx)
            : undefined;
      if (notice) await deliver(notice);
    } catch (err) {
      options.log.warn({ event: event.type, err: errorMessage(err) }, 'could not build a notification');
    }
  }

  return {
    start() {
      unsubscribe = options.engine.events.subscribe((event) => {
        if (event.replica !== undefined) return; // the replica that published it notifies, once
        chain = chain.then(() => handle(event));
      });
    },
    stop() {
      unsubscribe?.();
    },
    idle: () => chain,
    handle,
  };
}
