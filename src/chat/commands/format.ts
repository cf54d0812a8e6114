import type { HealthCode, ResourceChange } from '../../core/index.js';

const HEALTH_MARK: Record<HealthCode, string> = {
  Healthy: '✅',
  Suspended: '⏸',
  Progressing: '⏳',
  Missing: '❔',
  Degraded: '❌',
  Unknown: '❓',
};

/** Mark plus word, so it reads without colour or emoji support. */
export function healthLabel(status: HealthCode): string {
  return `${HEALTH_MARK[status]} ${status}`;
}

export { shortSha } from '../../util/index.js';

/** `created 1, configured 2 (web, motd)`; `no changes` when everything was unchanged. */
export function changeSetSummary(changes: readonly ResourceChange[]): string {
  const by = new Map<string, string[]>();
  for (const change of changes) {
    if (change.action === 'unchanged') continue;
    by.set(change.action, [...(by.get(change.action) ?? []), change.name]);
  }
  if (by.size === 0) return 'no changes';
  return [...by.entries()].map(([action, names]) => `${action} ${names.join(', ')}`).join('; ');
}

/** Left-aligned columns for a code block. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `2m ago`, `3h ago`; the ISO time when it is older than a week or unparsable. */
export function ago(iso: string | undefined, now: Date): string {
  if (!iso) return '-';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((now.getTime() - at) / 1000);
  if (seconds < 0) return iso;
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  if (seconds < 7 * 86_400) return `${Math.floor(seconds / 86_400)}d ago`;
  return iso;
}

/** `in 59m`, `expired`. */
export function until(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  if (Number.isNaN(ms)) return iso;
  if (ms <= 0) return 'expired';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `in ${seconds}s`;
  if (seconds < 3600) return `in ${Math.ceil(seconds / 60)}m`;
  return `in ${Math.round(seconds / 3600)}h`;
}
