import type { AuditEntry, SyncRecord } from '../../core/index.js';
import type { AppCommit } from '../commit-log.js';

export type AuditKind = 'command' | 'approval' | 'refusal' | 'webhook' | 'session' | 'audit';
export type TimelineKind = 'commit' | 'sync' | AuditKind;

/** One thing that happened, as the Activity page shows it. `at` orders the timeline. */
export type TimelineItem =
  | {
      kind: 'commit';
      id: string;
      at: string;
      apps: string[];
      repo: string;
      sha: string;
      subject: string;
      author: string;
      authorEmail: string;
      /** The `Wheelhouse-Actor` trailer: who asked Wheelhouse for the change. */
      actor?: string;
    }
  | {
      kind: 'sync';
      id: string;
      at: string;
      app: string;
      syncId: string;
      revision: string;
      result: SyncRecord['result'];
      actor: string;
      trigger: SyncRecord['trigger'];
      dryRun: boolean;
      durationMs?: number;
      changes: { created: number; configured: number; deleted: number; unchanged: number };
      health?: string;
    }
  | {
      kind: AuditKind;
      id: string;
      at: string;
      seq: number;
      actor: string;
      action: string;
      app?: string;
      platform?: string;
      text?: string;
      decision?: string;
      result?: string;
    };

/** What an audit entry is, for the timeline's icons and filters. */
export function auditKind(entry: Pick<AuditEntry, 'action' | 'decision'>): AuditKind {
  if (entry.action.startsWith('session.')) return 'session';
  if (entry.decision === 'refused') return 'refusal';
  if (
    entry.action.startsWith('approval.') ||
    entry.decision === 'awaiting-approval' ||
    entry.decision === 'approved' ||
    entry.decision === 'denied' ||
    entry.decision === 'expired'
  ) {
    return 'approval';
  }
  if (entry.action.startsWith('webhook.')) return 'webhook';
  if (entry.action.startsWith('command.') || entry.action.startsWith('api.')) return 'command';
  return 'audit';
}

export function auditItem(entry: AuditEntry): TimelineItem {
  return {
    kind: auditKind(entry),
    id: `audit:${entry.seq}`,
    at: entry.at,
    seq: entry.seq,
    actor: entry.actor,
    action: entry.action,
    ...(entry.app ? { app: entry.app } : {}),
    ...(entry.platform ? { platform: entry.platform } : {}),
    ...(entry.text ? { text: entry.text } : {}),
    ...(entry.decision ? { decision: entry.decision } : {}),
    ...(entry.result ? { result: entry.result } : {}),
  };
}

export function syncItem(record: SyncRecord): TimelineItem {
  const changes = { created: 0, configured: 0, deleted: 0, unchanged: 0 };
  for (const change of record.changeSet) changes[change.action] += 1;
  const started = Date.parse(record.startedAt);
  const finished = record.finishedAt ? Date.parse(record.finishedAt) : Number.NaN;
  return {
    kind: 'sync',
    id: `sync:${record.id}`,
    at: record.finishedAt ?? record.startedAt,
    app: record.app,
    syncId: record.id,
    revision: record.revision,
    result: record.result,
    actor: record.actor,
    trigger: record.trigger,
    dryRun: record.dryRun,
    ...(Number.isFinite(finished - started) ? { durationMs: finished - started } : {}),
    changes,
    ...(record.health ? { health: record.health.status } : {}),
  };
}

export function commitItem(commit: AppCommit): TimelineItem {
  const actor = commit.trailers?.['Wheelhouse-Actor'];
  return {
    kind: 'commit',
    id: `commit:${commit.sha}`,
    at: new Date(Date.parse(commit.authoredAt)).toISOString(),
    apps: commit.apps,
    repo: commit.repo,
    sha: commit.sha,
    subject: commit.subject,
    author: commit.authorName,
    authorEmail: commit.authorEmail,
    ...(actor ? { actor } : {}),
  };
}

/** Newest first; ties keep a stable order by id. */
export function newestFirst(items: TimelineItem[]): TimelineItem[] {
  return items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.id.localeCompare(a.id));
}
