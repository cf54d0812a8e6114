import type { DeliveryFigures, Distribution } from './types.js';

const UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** A duration in its two largest units, rounded down: `1d 4h`, `3m 20s`, `5m`, `0s`. */
export function roughDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const first = UNITS.findIndex(([, size]) => total >= size);
  if (first < 0) return '0s';
  const [unit, size] = UNITS[first] ?? ['s', 1000];
  const [nextUnit, nextSize] = UNITS[first + 1] ?? ['', 0];
  const n = Math.floor(total / size);
  const rest = nextSize > 0 ? Math.floor((total - n * size) / nextSize) : 0;
  return rest > 0 ? `${n}${unit} ${rest}${nextUnit}` : `${n}${unit}`;
}

function spread(d: Distribution, what: string): string {
  if (d.count === 0 || d.medianMs === undefined) return `none (no ${what})`;
  const p90 = d.p90Ms === undefined ? '' : `, p90 ${roughDuration(d.p90Ms)}`;
  return `median ${roughDuration(d.medianMs)}${p90} (${d.count} ${what})`;
}

/** The four figures as label and value, the way the CLI's table and chat's reply show them. */
export function figureLines(f: DeliveryFigures): [label: string, value: string][] {
  const rate = f.changeFailure.rate;
  return [
    [
      'Deployment frequency',
      `${f.deployments} deployment${f.deployments === 1 ? '' : 's'} (${f.deploymentsPerDay.toFixed(2)} a day)`,
    ],
    ['Lead time for changes', spread(f.leadTime, f.leadTime.count === 1 ? 'commit' : 'commits')],
    [
      'Change failure rate',
      rate === undefined
        ? 'none (no changes)'
        : `${Math.round(rate * 100)}% (${f.changeFailure.failed} of ${f.changeFailure.changes} changes)`,
    ],
    [
      'Time to restore',
      `${spread(f.restore, f.restore.count === 1 ? 'incident' : 'incidents')}${f.restore.open > 0 ? `; ${f.restore.open} still open` : ''}`,
    ],
  ];
}
