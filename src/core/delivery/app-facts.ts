import type { HealthCode } from '../health.js';
import type { DeliveryApp, DeliveryCommit, DeliverySync, HealthTransition, RollbackMark } from './types.js';

/** Why a change counts as failed. */
export type FailureReason = 'sync failed' | 'rolled back' | 'degraded';

/** One app's delivery events over its whole recorded history (times in epoch ms). */
export interface AppFacts {
  app: DeliveryApp;
  deployments: { at: number; syncId: string; revision: string; actor: string }[];
  leadTimes: { at: number; ms: number; sha: string; author: string }[];
  changes: { at: number; syncId: string; revision: string; failed: FailureReason[] }[];
  incidents: { start: number; end?: number }[];
}

export interface AppHistory {
  app: DeliveryApp;
  syncs: readonly DeliverySync[];
  /** In Git's order, oldest first. */
  commits: readonly DeliveryCommit[];
  health: readonly HealthTransition[];
  rollbacks: readonly RollbackMark[];
}

/** A run of syncs applying one tree of the app's path: one change, however often it was synced. */
interface Attempt {
  digest: string;
  start: number;
  syncs: DeliverySync[];
}

/** Health that ends an incident (the same states that close a chat health episode). */
const RESTORED: ReadonlySet<HealthCode> = new Set(['Healthy', 'Suspended']);

const time = (iso: string): number => Date.parse(iso);
const endOf = (sync: DeliverySync): number => time(sync.finishedAt ?? sync.startedAt);

/**
 * The facts behind the four figures for one app:
 * - a change is a run of applied (not dry-run, not cancelled) syncs of one tree of the app's path;
 *   a deployment is a change with a successful sync (at that sync's end);
 * - a change failed when one of its syncs failed, or before the next change and within
 *   `failureWindowMs` of its start it was rolled back or the app became Degraded;
 * - a commit's lead time runs from its author time to the end of the first successful sync that
 *   delivered it (commits that arrive together share that end); the commits delivered by the first
 *   recorded sync are the baseline, not counted;
 * - an incident runs from Degraded to the next Healthy (or Suspended); going back and forth
 *   between Degraded and Progressing (a crash loop) stays one incident.
 */
export function appFacts(history: AppHistory, failureWindowMs: number): AppFacts {
  const syncs = history.syncs
    .filter((s) => !s.dryRun && (s.result === 'succeeded' || s.result === 'failed'))
    .sort((a, b) => time(a.startedAt) - time(b.startedAt));
  const attempts = changeAttempts(syncs);
  const health = [...history.health].sort((a, b) => time(a.at) - time(b.at));
  const rollbacks = history.rollbacks.map((r) => time(r.at));
  const facts: AppFacts = {
    app: history.app,
    deployments: [],
    leadTimes: leadTimes(syncs, history.commits),
    changes: [],
    incidents: incidents(health),
  };
  attempts.forEach((attempt, i) => {
    const first = attempt.syncs[0];
    if (!first) return;
    const until = Math.min(
      attempts[i + 1]?.start ?? Number.POSITIVE_INFINITY,
      attempt.start + failureWindowMs,
    );
    const during = (at: number) => at >= attempt.start && at < until;
    const failed: FailureReason[] = [];
    if (attempt.syncs.some((s) => s.result === 'failed')) failed.push('sync failed');
    if (rollbacks.some(during)) failed.push('rolled back');
    if (health.some((h) => h.to === 'Degraded' && during(time(h.at)))) failed.push('degraded');
    facts.changes.push({ at: endOf(first), syncId: first.id, revision: first.revision, failed });
    const deployed = attempt.syncs.find((s) => s.result === 'succeeded');
    if (deployed) {
      facts.deployments.push({
        at: endOf(deployed),
        syncId: deployed.id,
        revision: deployed.revision,
        actor: deployed.actor,
      });
    }
  });
  return facts;
}

function changeAttempts(syncs: readonly DeliverySync[]): Attempt[] {
  const attempts: Attempt[] = [];
  for (const sync of syncs) {
    const current = attempts.at(-1);
    if (current && current.digest === sync.digest) current.syncs.push(sync);
    else attempts.push({ digest: sync.digest, start: time(sync.startedAt), syncs: [sync] });
  }
  return attempts;
}

function leadTimes(
  syncs: readonly DeliverySync[],
  commits: readonly DeliveryCommit[],
): AppFacts['leadTimes'] {
  const index = new Map(commits.map((c, i) => [c.sha, i]));
  const out: AppFacts['leadTimes'] = [];
  let delivered: number | undefined;
  for (const sync of syncs) {
    if (sync.result !== 'succeeded' || sync.change === undefined) continue;
    const upTo = index.get(sync.change);
    if (upTo === undefined) continue;
    if (delivered === undefined) {
      delivered = upTo; // the baseline: what was there before Wheelhouse recorded anything
      continue;
    }
    const at = endOf(sync);
    for (let i = delivered + 1; i <= upTo; i++) {
      const commit = commits[i];
      if (commit)
        out.push({ at, ms: Math.max(0, at - time(commit.at)), sha: commit.sha, author: commit.author });
    }
    delivered = Math.max(delivered, upTo);
  }
  return out;
}

function incidents(health: readonly HealthTransition[]): AppFacts['incidents'] {
  const out: AppFacts['incidents'] = [];
  let open: { start: number } | undefined;
  for (const h of health) {
    if (!open && h.to === 'Degraded') open = { start: time(h.at) };
    else if (open && RESTORED.has(h.to)) {
      out.push({ start: open.start, end: time(h.at) });
      open = undefined;
    }
  }
  if (open) out.push(open);
  return out;
}
