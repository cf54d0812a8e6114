import { SHORT_SHA_LENGTH, shortSha as shortRevision } from '../../util/short-sha.js';
/** Formatting shared by every page: times, durations, revisions, change counts. Pure. */

/** `just now`, `42s ago`, `5m ago`, `3h ago`, `2d ago`; `in 5m` for the future. */
export function relativeTime(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const diff = now - at;
  const future = diff < 0;
  const s = Math.abs(diff) / 1000;
  let text: string;
  if (s < 5) return 'just now';
  if (s < 60) text = `${Math.floor(s)}s`;
  else if (s < 3600) text = `${Math.floor(s / 60)}m`;
  else if (s < 86_400) text = `${Math.floor(s / 3600)}h`;
  else text = `${Math.floor(s / 86_400)}d`;
  return future ? `in ${text}` : `${text} ago`;
}

/** A full local date and time, for tooltips and `<time>` titles. */
export function absoluteTime(iso: string | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return at.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** `850ms`, `3.1s`, `2m 05s`, `1h 02m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Milliseconds between two ISO times, or undefined while the second is missing. */
export function durationBetween(start: string, end: string | undefined): number | undefined {
  if (!end) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A full sha shortened as everywhere else; anything else (a tag, a branch) as it is; `—` for none. */
export const shortSha = (revision: string | undefined): string => shortRevision(revision, '—');

export interface ChangeCounts {
  created: number;
  configured: number;
  deleted: number;
  unchanged: number;
}

/** Counts per action of a change set. */
export function countChanges(changes: readonly { action: string }[]): ChangeCounts {
  const counts: ChangeCounts = { created: 0, configured: 0, deleted: 0, unchanged: 0 };
  for (const change of changes) {
    if (change.action in counts) counts[change.action as keyof ChangeCounts] += 1;
  }
  return counts;
}

/** `1 created, 2 configured` (actions that happened); `no changes` when only unchanged. */
export function changeSummary(counts: ChangeCounts): string {
  const parts = (['created', 'configured', 'deleted'] as const)
    .filter((action) => counts[action] > 0)
    .map((action) => `${counts[action]} ${action}`);
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

/** `alice` for `web:alice`; other actors as they are (`slack:U123`, `git:3f2a9c1`). */
export function actorLabel(actor: string | undefined): string {
  if (!actor) return '—';
  const match = /^(?:web|api|cli):(.+)$/.exec(actor);
  if (match?.[1]) return match[1];
  const git = /^git:([0-9a-f]{7,40})$/i.exec(actor);
  if (git?.[1]) return `git ${git[1].slice(0, SHORT_SHA_LENGTH)}`;
  return actor;
}

/** `1 item` / `2 items`. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
