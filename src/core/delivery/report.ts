import { type AppFacts, appFacts } from './app-facts.js';
import { bucketStart, bucketStarts, days, distribution, median } from './stats.js';
import type {
  DeliveryBucketFigures,
  DeliveryFigures,
  DeliveryGroup,
  DeliveryHistory,
  DeliveryReport,
  DeliveryWindow,
} from './types.js';

export const DEFAULT_FAILURE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The four delivery figures over `[from, to)`, for all apps together and per app, environment
 * and team, each with the same figures per day or week. Pure: everything comes from `history`
 * (see `appFacts` for the definitions). An incident counts where it ends; one still open at `to`
 * is counted as open.
 */
export function computeDelivery(history: DeliveryHistory, window: DeliveryWindow): DeliveryReport {
  const failureWindowMs = window.failureWindowMs ?? DEFAULT_FAILURE_WINDOW_MS;
  const bucket = window.bucket ?? 'week';
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  // Each app's records once (a year for 1,000 apps is ~100k syncs: no scan per app).
  const syncs = byApp(history.syncs);
  const health = byApp(history.health);
  const rollbacks = byApp(history.rollbacks);
  const facts = history.apps.map((app) =>
    appFacts(
      {
        app,
        syncs: syncs.get(app.name) ?? [],
        commits: history.commits[app.name] ?? [],
        health: health.get(app.name) ?? [],
        rollbacks: rollbacks.get(app.name) ?? [],
      },
      failureWindowMs,
    ),
  );
  const starts = bucketStarts(from, to, bucket);
  const spans: BucketSpan[] = starts.map((start) => ({
    start,
    from: Math.max(from, start),
    to: Math.min(to, nextBucket(start, bucket)),
  }));
  const group = (key: string, members: AppFacts[]): DeliveryGroup => ({
    key,
    figures: figures(members, from, to),
    buckets: collectBuckets(members, spans).map((w, i) => bucketFigures(w, spans[i]?.start ?? from)),
  });
  const by = (keyOf: (f: AppFacts) => string | undefined): DeliveryGroup[] => {
    const groups = new Map<string, AppFacts[]>();
    for (const f of facts) {
      const key = keyOf(f);
      if (key === undefined) continue;
      const members = groups.get(key);
      if (members) members.push(f);
      else groups.set(key, [f]);
    }
    return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, members]) => group(key, members));
  };
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucket,
    failureWindowMs,
    total: group('all', facts),
    byApp: by((f) => f.app.name),
    byEnvironment: by((f) => f.app.environment),
    byTeam: by((f) => f.app.team),
  };
}

function byApp<T extends { app: string }>(records: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of records) {
    const list = out.get(r.app);
    if (list) list.push(r);
    else out.set(r.app, [r]);
  }
  return out;
}

function nextBucket(start: number, bucket: DeliveryReport['bucket']): number {
  return bucketStart(start + (bucket === 'day' ? 1 : 7) * 24 * 60 * 60 * 1000 + 1, bucket);
}

/** One day or week: `start` names it; events at `from` <= t < `to` count in it (cut to the period). */
interface BucketSpan {
  start: number;
  from: number;
  to: number;
}

interface InWindow {
  deployments: number;
  leadTimes: number[];
  changes: number;
  failed: number;
  restores: number[];
  open: number;
}

const emptyWindow = (): InWindow => ({
  deployments: 0,
  leadTimes: [],
  changes: 0,
  failed: 0,
  restores: [],
  open: 0,
});

/** Adds each event of `members` to the window `at` falls in (`windowOf` gives none outside). */
function tally(members: readonly AppFacts[], windowOf: (at: number) => InWindow | undefined): void {
  for (const f of members) {
    for (const d of f.deployments) {
      const w = windowOf(d.at);
      if (w) w.deployments += 1;
    }
    for (const l of f.leadTimes) windowOf(l.at)?.leadTimes.push(l.ms);
    for (const c of f.changes) {
      const w = windowOf(c.at);
      if (!w) continue;
      w.changes += 1;
      if (c.failed.length > 0) w.failed += 1;
    }
    for (const i of f.incidents) if (i.end !== undefined) windowOf(i.end)?.restores.push(i.end - i.start);
  }
}

function collect(members: readonly AppFacts[], from: number, to: number): InWindow {
  const out = emptyWindow();
  tally(members, (at) => (at >= from && at < to ? out : undefined));
  for (const f of members) {
    for (const i of f.incidents) {
      const restored = i.end !== undefined && i.end >= from && i.end < to;
      if (!restored && i.start < to && (i.end === undefined || i.end >= to)) out.open += 1;
    }
  }
  return out;
}

/** The windows of every bucket in one pass over the members' events (binary search per event). */
function collectBuckets(members: readonly AppFacts[], spans: readonly BucketSpan[]): InWindow[] {
  const out = spans.map(emptyWindow);
  const first = spans[0];
  const last = spans.at(-1);
  tally(members, (at) => {
    if (!first || !last || at < first.from || at >= last.to) return undefined;
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((spans[mid]?.from ?? Number.POSITIVE_INFINITY) <= at) lo = mid;
      else hi = mid - 1;
    }
    return at < (spans[lo]?.to ?? 0) ? out[lo] : undefined;
  });
  return out;
}

function figures(members: readonly AppFacts[], from: number, to: number): DeliveryFigures {
  const w = collect(members, from, to);
  const span = days(from, to);
  return {
    apps: members.length,
    deployments: w.deployments,
    deploymentsPerDay: span > 0 ? w.deployments / span : 0,
    leadTime: distribution(w.leadTimes),
    changeFailure: {
      changes: w.changes,
      failed: w.failed,
      ...(w.changes > 0 ? { rate: w.failed / w.changes } : {}),
    },
    restore: { ...distribution(w.restores), open: w.open },
  };
}

function bucketFigures(w: InWindow, start: number): DeliveryBucketFigures {
  const lead = median([...w.leadTimes].sort((a, b) => a - b));
  const restore = median([...w.restores].sort((a, b) => a - b));
  return {
    start: new Date(start).toISOString(),
    deployments: w.deployments,
    changes: w.changes,
    failed: w.failed,
    ...(lead !== undefined ? { leadTimeMedianMs: lead } : {}),
    ...(restore !== undefined ? { restoreMedianMs: restore } : {}),
  };
}
