import type { DeliveryBucket, Distribution } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Median and 90th percentile (nearest rank) of durations; no figures for an empty list. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: median(sorted) ?? 0, p90Ms: rank(sorted, 0.9) ?? 0 };
}

export function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

function rank(sorted: readonly number[], q: number): number | undefined {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** The start (UTC midnight; Monday for weeks) of the day or week holding `ms`. */
export function bucketStart(ms: number, bucket: DeliveryBucket): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (bucket === 'day') return day;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY_MS;
}

/** Every bucket start from the one holding `from` to the one holding `to` (exclusive end). */
export function bucketStarts(from: number, to: number, bucket: DeliveryBucket): number[] {
  const step = bucket === 'day' ? DAY_MS : 7 * DAY_MS;
  const starts: number[] = [];
  for (let at = bucketStart(from, bucket); at < to; at += step) starts.push(at);
  return starts;
}

export function days(fromMs: number, toMs: number): number {
  return Math.max(0, toMs - fromMs) / DAY_MS;
}
