import { DEFAULT_FAILURE_WINDOW_MS, type DeliveryBucket, WheelhouseError } from '../../core/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Without `from`: the four weeks before `to`. */
export const DEFAULT_PERIOD_DAYS = 28;
/** Longest period one request computes (a year and a bit). */
export const MAX_PERIOD_DAYS = 400;

export interface Period {
  from: string;
  to: string;
  bucket: DeliveryBucket;
  failureWindowMs: number;
}

/** The period asked for, checked: `to` defaults to now, `from` to four weeks earlier; days up to a month, else weeks. */
export function periodOf(
  query: { from?: string | undefined; to?: string | undefined; bucket?: DeliveryBucket | undefined },
  now: Date,
): Period {
  const to = query.to ? Date.parse(query.to) : now.getTime();
  const from = query.from ? Date.parse(query.from) : to - DEFAULT_PERIOD_DAYS * DAY_MS;
  if (!(from < to)) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `metrics period: from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()}); swap them or leave from out for the last ${DEFAULT_PERIOD_DAYS} days`,
      { details: { path: 'from' } },
    );
  }
  if (to - from > MAX_PERIOD_DAYS * DAY_MS) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `metrics period: ${Math.round((to - from) / DAY_MS)} days is longer than ${MAX_PERIOD_DAYS}; ask for a shorter period (from/to)`,
      { details: { path: 'from' } },
    );
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucket: query.bucket ?? (to - from <= 31 * DAY_MS ? 'day' : 'week'),
    failureWindowMs: DEFAULT_FAILURE_WINDOW_MS,
  };
}
