import { Histogram } from 'prom-client';
import { errorMessage, type HealthCode, type WheelhouseEvent } from '../../core/index.js';
import type { ServerContext } from '../context.js';

const HOUR = 3600;
/** Seconds: a minute to four weeks. */
const BUCKETS = [
  60,
  300,
  900,
  1800,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  24 * HOUR,
  3 * 24 * HOUR,
  7 * 24 * HOUR,
  28 * 24 * HOUR,
];
const RESTORED: ReadonlySet<HealthCode> = new Set(['Healthy', 'Suspended']);

/**
 * Prometheus histograms of lead time (per commit applied) and time to restore (per incident),
 * labelled by app and environment, fed from the engine's events as they happen. The same
 * definitions as `GET /api/v1/metrics` (docs/metrics.md). The first sync an app makes after
 * the server starts is compared with the previous successful one in the store; an incident open
 * when the server starts is measured from the server's start. Returns a function that detaches.
 */
export function attachDeliveryMetrics(ctx: ServerContext, now: () => number = Date.now): () => void {
  const registry = ctx.metrics.registry;
  const histogram = (name: string, help: string): Histogram<'app' | 'environment'> =>
    (registry.getSingleMetric(name) as Histogram<'app' | 'environment'> | undefined) ??
    new Histogram({
      name,
      help,
      labelNames: ['app', 'environment'],
      buckets: BUCKETS,
      registers: [registry],
    });
  const leadTime = histogram(
    'wheelhouse_lead_time_seconds',
    'Lead time for changes: commit author time to the end of the first successful sync that applied it, per commit',
  );
  const restore = histogram(
    'wheelhouse_time_to_restore_seconds',
    'Time to restore: an app Degraded until Healthy (or Suspended) again; a crash loop is one incident',
  );
  const degradedSince = new Map<string, number>();
  const environmentOf = (app: string): string => {
    try {
      return ctx.engine.status(app).environment;
    } catch {
      return '';
    }
  };

  const onSync = async (event: Extract<WheelhouseEvent, { type: 'sync.finished' }>) => {
    const record = event.record;
    if (record.dryRun || record.result !== 'succeeded' || !ctx.commits) return;
    const commits = ctx.commits;
    const history = await ctx.engine.history(record.app, 50);
    const previous = history.find(
      (r) => r.id !== record.id && r.result === 'succeeded' && !r.dryRun && r.startedAt <= record.startedAt,
    );
    if (!previous || previous.revision === record.revision) return;
    const [upTo, before] = await Promise.all([
      commits.changeAt(record.app, record.revision),
      commits.changeAt(record.app, previous.revision),
    ]);
    if (!upTo || !before || upTo === before) return;
    const log = await commits.forApp(record.app, 200);
    const end = Date.parse(record.finishedAt ?? event.at);
    const labels = { app: record.app, environment: environmentOf(record.app) };
    const start = log.findIndex((c) => c.sha === upTo);
    const stop = log.findIndex((c) => c.sha === before);
    if (start < 0 || stop < start) return; // a rollback to an older tree delivers no new commit
    for (const commit of log.slice(start, stop)) {
      leadTime.observe(labels, Math.max(0, end - Date.parse(commit.authoredAt)) / 1000);
    }
  };

  const off = ctx.engine.events.subscribe((event) => {
    if (event.replica !== undefined) return; // each replica measures its own syncs
    if (event.type === 'sync.finished') {
      onSync(event).catch((err: unknown) =>
        ctx.log.warn({ app: event.app, err: errorMessage(err) }, 'could not measure the lead time of a sync'),
      );
    } else if (event.type === 'health.changed') {
      const since = degradedSince.get(event.app);
      if (since === undefined && event.to.status === 'Degraded') degradedSince.set(event.app, now());
      else if (since !== undefined && RESTORED.has(event.to.status)) {
        degradedSince.delete(event.app);
        restore.observe({ app: event.app, environment: environmentOf(event.app) }, (now() - since) / 1000);
      }
    }
  });
  return off;
}
