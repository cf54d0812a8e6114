import type { BenchRow } from './scenario.js';

/** Percentile by nearest rank over a copy of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Resident set size of this process, MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

/** Samples RSS every `everyMs` until stopped; returns the peak in MiB. */
export function trackPeakRss(everyMs = 50): () => number {
  let peak = rssMiB();
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB());
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMiB());
  };
}

/** A latency metric as one row: p95 as the value, p50 and the sample count beside it. */
export function latencyRow(metric: string, samples: readonly number[], target?: string): BenchRow {
  return {
    metric,
    value: round(percentile(samples, 95)),
    unit: 'ms',
    ...(target ? { target } : {}),
    detail: { p50: `${round(percentile(samples, 50))} ms`, samples: samples.length },
  };
}
