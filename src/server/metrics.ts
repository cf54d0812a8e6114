import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type Engine, HEALTH_CODES, type SyncStatus } from '../core/index.js';

const SYNC_STATUSES: readonly SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];

/**
 * Wheelhouse's Prometheus metrics, in their own registry (never prom-client's global one, so two
 * servers in one process, as in tests, do not collide).
 */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly reconcileDuration: Histogram<'result'>;
  readonly syncs: Counter<'result'>;
  readonly gitFetchDuration: Histogram<'result'>;
  readonly webhookRequests: Counter<'provider' | 'outcome'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /**
   * Feeds the engine's figures: syncs from `sync.finished` events, and the apps-by-status gauges
   * computed from `engine.apps()` on each scrape. Returns a function that detaches.
   */
  attach(engine: Engine): () => void;
}

export interface MetricsOptions {
  /** Node.js process metrics (heap, event loop lag, ...). Default true. */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'wheelhouse_' });
  let engine: Engine | undefined;

  const reconcileDuration = new Histogram({
    name: 'wheelhouse_reconcile_duration_seconds',
    help: 'Duration of syncs (apply and wait for health), by result; dry runs are not counted',
    labelNames: ['result'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const syncs = new Counter({
    name: 'wheelhouse_syncs_total',
    help: 'Finished syncs by result (succeeded, failed, cancelled); dry runs are not counted',
    labelNames: ['result'],
    registers: [registry],
  });
  const gitFetchDuration = new Histogram({
    name: 'wheelhouse_git_fetch_duration_seconds',
    help: 'Duration of git fetches of source mirrors, by result (ok, error)',
    labelNames: ['result'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const webhookRequests = new Counter({
    name: 'wheelhouse_webhook_requests_total',
    help: 'Git webhook deliveries by provider and outcome (accepted, ping, ignored, unknown_repo, duplicate, unauthorized, not_configured, malformed, too_large, rate_limited, error)',
    labelNames: ['provider', 'outcome'],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'wheelhouse_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code (streams are not counted)',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'wheelhouse_apps_by_sync_status',
    help: 'Apps by sync status (Synced, OutOfSync, Unknown)',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>(SYNC_STATUSES.map((s) => [s, 0]));
      for (const app of engine?.apps() ?? [])
        counts.set(app.syncStatus, (counts.get(app.syncStatus) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'wheelhouse_apps_by_health',
    help: 'Apps by health (Healthy, Suspended, Progressing, Missing, Degraded, Unknown)',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>(HEALTH_CODES.map((s) => [s, 0]));
      for (const app of engine?.apps() ?? [])
        counts.set(app.health.status, (counts.get(app.health.status) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });

  return {
    registry,
    reconcileDuration,
    syncs,
    gitFetchDuration,
    webhookRequests,
    httpDuration,
    attach(target) {
      engine = target;
      const off = target.events.subscribe((event) => {
        if (event.type !== 'sync.finished' || event.record.dryRun || event.replica !== undefined) return;
        syncs.inc({ result: event.result });
        const started = Date.parse(event.record.startedAt);
        const finished = Date.parse(event.record.finishedAt ?? event.at);
        if (Number.isFinite(started) && Number.isFinite(finished) && finished >= started) {
          reconcileDuration.observe({ result: event.result }, (finished - started) / 1000);
        }
      });
      return () => {
        off();
        if (engine === target) engine = undefined;
      };
    },
  };
}
