import { randomBytes } from 'node:crypto';
import type { AppSpec, RepoRef, SyncRecord } from '../../core/index.js';
import { shortSha } from '../../util/index.js';
import { type Worktree, wheelhouseTrailers } from '../../writeback/index.js';
import { commitAuthor, displayName } from '../identity.js';
import type { OperationContext, OperationOutcome } from '../operation.js';
import { branchOf, repoOf } from './app-source.js';
import type { OperationDeps } from './deps.js';
import { runSync, syncOutcome } from './sync-run.js';

export interface ChangeRequest {
  command: string;
  /** The app whose desired state changes (applied after the push). */
  spec: AppSpec;
  subject: string;
  body?: string;
  edit(worktree: Worktree): Promise<boolean>;
  /** Where to commit: default the app's source; pause/resume commit to the control repo. */
  repo?: RepoRef;
  branch?: string;
  protected?: boolean;
  /** What to say when the edit changes nothing. */
  unchanged: string;
  /**
   * Further trailers after the Wheelhouse ones (`Wheelhouse-Image: old -> new`), asked for when the
   * commit is made, after `edit`: an edit can say what it replaced.
   */
  trailers?: () => [string, string][];
}

/**
 * A desired-state change: commit as the person (trailers name them, the request and approvers),
 * push, then have the engine pick the commit up at once and report how the sync ended. A
 * protected source gets a branch instead, and nothing is applied.
 */
export async function commitAndApply(
  deps: OperationDeps,
  ctx: OperationContext,
  change: ChangeRequest,
): Promise<OperationOutcome> {
  const id = ctx.approvalId ?? (deps.newId ?? (() => randomBytes(3).toString('hex')))();
  const repo = change.repo ?? repoOf(deps, change.spec);
  const branch = change.branch ?? branchOf(deps, change.spec);
  const isProtected = change.protected ?? change.spec.source.protected;
  ctx.progress('writing the change to Git');
  const result = await deps.writeBack.commit({
    repo,
    branch,
    protected: isProtected,
    pushBranch: `wheelhouse/${change.command}-${id}`,
    author: commitAuthor(ctx.identity),
    message: {
      subject: change.subject,
      body: [change.body, `Requested by ${displayName(ctx.identity)} through Wheelhouse.`]
        .filter(Boolean)
        .join('\n\n'),
      // A getter: write-back reads the trailers when it commits, after the edit ran.
      get trailers(): [string, string][] {
        return [
          ...wheelhouseTrailers({
            actor: ctx.identity.actor,
            ...(ctx.requestId ? { request: ctx.requestId } : {}),
            approvedBy: ctx.approvers.map((a) => a.actor),
          }),
          ...(change.trailers?.() ?? []),
        ];
      },
    },
    edit: change.edit,
  });
  if (!result.changed) return { ok: true, summary: change.unchanged };
  const short = shortSha(result.commit);
  if (result.protected) {
    return {
      ok: true,
      summary: `${change.subject}: pushed as branch ${result.branch} (commit ${short}) because ${branch} is protected; merge it to apply`,
      commit: result.commit,
      branch: result.branch,
    };
  }
  const app = change.spec.name;
  ctx.progress(
    `committed ${short}${result.attempts > 1 ? ` (rebased ${result.attempts - 1}×)` : ''}; applying`,
  );
  // A change to wheelhouse.yaml takes effect when the engine reloads it; an app's manual sync
  // below fetches its source itself.
  if (change.repo) await deps.engine.refreshRepo(repo.url);
  const status = deps.engine.status(app);
  if (!status.autoSync) {
    return {
      ok: true,
      summary: `${change.subject}: committed ${short}; ${app} is paused, so it is not applied — \`sync ${app}\` applies it`,
      commit: result.commit,
    };
  }
  if (status.pinnedRevision) {
    return {
      ok: true,
      summary: `${change.subject}: committed ${short}; ${app} is pinned to ${shortSha(status.pinnedRevision)}, so it is not applied — \`sync ${app}\` clears the pin and applies it`,
      commit: result.commit,
    };
  }
  // The engine may apply the commit on its own first (a poll, a webhook): report the sync that
  // actually applied it rather than a later one that found nothing left to do.
  const finished: SyncRecord[] = [];
  const off = deps.engine.events.subscribe((event) => {
    if (event.type === 'sync.finished' && event.app === app && !event.record.dryRun)
      finished.push(event.record);
  });
  let record: SyncRecord;
  try {
    record = await runSync(
      deps,
      app,
      { actor: ctx.identity.actor, ...(ctx.requestId ? { requestId: ctx.requestId } : {}) },
      ctx.progress,
    );
  } finally {
    off();
  }
  const changed = (r: SyncRecord) => r.changeSet.some((c) => c.action !== 'unchanged');
  const applied = finished.find(
    (r) => r.revision === record.revision && r.result === 'succeeded' && changed(r),
  );
  if (applied && !changed(record)) record = applied;
  const author = commitAuthor(ctx.identity);
  return syncOutcome(deps, change.spec, record, `${change.subject} (commit ${short})`, {
    commit: result.commit,
    fields: [{ label: 'Commit', value: `${short} by ${author.name} <${author.email}>` }],
  });
}
