import { type DeliveryCommits, gatherDelivery } from '../../access/index.js';
import {
  bucketStart,
  type ChatAdapter,
  type ControlConfig,
  computeDelivery,
  DEFAULT_FAILURE_WINDOW_MS,
  type Engine,
  errorMessage,
  figureLines,
  type Logger,
  type NotificationRoute,
  roughDuration,
  type Store,
} from '../../core/index.js';
import { matchesAny } from '../../util/glob.js';
import { context, fields, message, text } from '../core/message.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
/** How often the clock is checked for a new week (default hourly). */
const CHECK_EVERY_MS = 60 * 60 * 1000;
/** Apps listed by name in one digest (the busiest first). */
const LISTED_APPS = 10;

export interface WeeklyDigestDeps {
  engine: Pick<Engine, 'apps'>;
  store: Pick<Store, 'listSyncs' | 'listAudit' | 'listHealthTransitions' | 'markDelivered'>;
  config: () => ControlConfig;
  commits?: DeliveryCommits;
  adapter: (platform: string) => ChatAdapter | undefined;
  log: Logger;
  now: () => Date;
  checkEveryMs?: number;
}

export interface WeeklyDigest {
  start(): void;
  stop(): void;
  /** Posts last week's digest to every `digest: weekly` route that has not had it; returns how many. */
  runOnce(): Promise<number>;
}

/**
 * The weekly digest a notification route asks for with `digest: weekly`: on the first check of
 * each week (Monday, UTC), the four delivery figures of the route's apps (its `apps` and
 * `environments` globs) for the week before, and the busiest apps one line each. Each route gets
 * each week once, also across restarts and replicas (the store's delivery ids).
 */
export function createWeeklyDigest(deps: WeeklyDigestDeps): WeeklyDigest {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;

  async function post(route: NotificationRoute, from: number, to: number): Promise<boolean> {
    const week = new Date(from).toISOString().slice(0, 10);
    const adapter = deps.adapter(route.platform);
    if (!adapter) return false;
    if (!(await deps.store.markDelivered('digest', `${route.platform}/${route.channel}/${week}`)))
      return false;
    const period = {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      bucket: 'week' as const,
      failureWindowMs: DEFAULT_FAILURE_WINDOW_MS,
    };
    const covered = (app: { name: string; environment: string }) =>
      (route.apps.length === 0 || matchesAny(route.apps, app.name)) &&
      (route.environments.length === 0 || matchesAny(route.environments, app.environment));
    const names = new Set(
      deps.engine
        .apps()
        .filter(covered)
        .map((a) => a.name),
    );
    const history = await gatherDelivery(
      {
        engine: deps.engine,
        store: deps.store,
        config: deps.config,
        ...(deps.commits ? { commits: deps.commits } : {}),
      },
      { readable: (name) => names.has(name) },
      period,
    );
    const report = computeDelivery(history, period);
    const busiest = [...report.byApp]
      .sort((a, b) => b.figures.deployments - a.figures.deployments || a.key.localeCompare(b.key))
      .slice(0, LISTED_APPS)
      .map((g) => {
        const lead = g.figures.leadTime.medianMs;
        const rate = g.figures.changeFailure.rate;
        return `${g.key}: ${g.figures.deployments} deployments${lead !== undefined ? `, lead time ${roughDuration(lead)}` : ''}${rate !== undefined ? `, ${Math.round(rate * 100)}% failed` : ''}`;
      });
    await adapter.post(
      { channel: route.channel },
      message(
        [
          text(`Weekly delivery digest, week of ${week}: ${report.total.figures.apps} apps`),
          fields(figureLines(report.total.figures).map(([label, value]) => ({ label, value }))),
          ...(busiest.length > 0 ? [text(busiest.join('\n'))] : []),
          context('Definitions and charts: the dashboard’s Metrics page, /delivery (docs/metrics.md)'),
        ],
        'info',
      ),
    );
    return true;
  }

  async function runOnce(): Promise<number> {
    const to = bucketStart(deps.now().getTime(), 'week');
    const from = to - WEEK_MS;
    let sent = 0;
    for (const route of deps.config().notifications.routes.filter((r) => r.digest === 'weekly')) {
      try {
        if (await post(route, from, to)) sent += 1;
      } catch (err) {
        deps.log.warn(
          { platform: route.platform, channel: route.channel, err: errorMessage(err) },
          'could not post the weekly delivery digest',
        );
      }
    }
    return sent;
  }

  return {
    start() {
      timer ??= setInterval(() => {
        if (running) return;
        running = true;
        void runOnce().finally(() => {
          running = false;
        });
      }, deps.checkEveryMs ?? CHECK_EVERY_MS);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    runOnce,
  };
}
