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
  const facts = history.apps.map((app) =>
    appFacts(
      {
        app,
        syncs: history.syncs.filter((s) => s.app === app.name),
        commits: history.commits[app.name] ?? [],
        health: history.health.filter((h) => h.app === app.name),
        rollbacks: history.rollbacks.filter((r) => r.app === app.name),
      },
      failureWindowMs,
    ),
  );
  const group = (key: string, members: AppFacts[]): DeliveryGroup => ({
    key,
    figures: figures(members, from, to),
    buckets: bucketStarts(from, to, bucket).map((start) =>
      bucketFigures(members, start, Math.min(to, nextBucket(start, bucket)), Math.max(from, start)),
    ),
  });
  const by = (keyOf: (f: AppFacts) => string | undefined): DeliveryGroup[] => {
    const groups = new Map<string, AppFacts[]>();
    for (const f of facts) {
      const key = keyOf(f);
      if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), f]);
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

function nextBucket(start: number, bucket: DeliveryReport['bucket']): number {
  return bucketStart(start + (bucket === 'day' ? 1 : 7) * 24 * 60 * 60 * 1000 + 1, bucket);
}

interface InWindow {
  deployments: number;
  leadTimes: number[];
  changes: number;
  failed: number;
  restores: number[];
  open: number;
}

function collect(members: readonly AppFacts[], from: number, to: number): InWindow {
  const inside = (at: number) => at >= from && at < to;
  const out: InWindow = { deployments: 0, leadTimes: [], changes: 0, failed: 0, restores: [], open: 0 };
  for (const f of members) {
    out.deployments += f.deployments.filter((d) => inside(d.at)).length;
    for (const l of f.leadTimes) if (inside(l.at)) out.leadTimes.push(l.ms);
    for (const c of f.changes) {
      if (!inside(c.at)) continue;
      out.changes += 1;
      if (c.failed.length > 0) out.failed += 1;
    }
    for (const i of f.incidents) {
      if (i.end !== undefined && inside(i.end)) out.restores.push(i.end - i.start);
      else if (i.start < to && (i.end === undefined || i.end >= to)) out.open += 1;
    }
  }
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

function bucketFigures(
  members: readonly AppFacts[],
  start: number,
  end: number,
  from: number,
): DeliveryBucketFigures {
  const w = collect(members, from, end);
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
