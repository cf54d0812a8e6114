import { errorMessage, isWheelhouseError } from '../core/index.js';
import type { RunOutcome } from '../reconcile/index.js';
import { backoffDelay, shortSha } from '../util/index.js';
import type { OperationRequest } from './app-queue.js';
import type { EngineContext } from './context.js';
import { ABSENT_DIGEST, renderDeclared } from './desired.js';
import { refreshLive } from './observe.js';
import { owns } from './owns.js';
import type { AppRuntime, Declared } from './runtime.js';

const HEAL_BACKOFF_MS = 1_000;
const HEAL_BACKOFF_MAX_MS = 5 * 60_000;
/**
 * How long an app in sync may go unobserved when its driver's `liveVersion` says nothing changed:
 * the safety net for a change the driver did not notice (a missed file-watch event).
 */
const FULL_CHECK_MS = 5 * 60_000;

export type Enqueue = (rt: AppRuntime, request: OperationRequest) => void;

/**
 * The periodic check of one app against what Git declares now. Work scales with what changed:
 * an unchanged tree id costs one in-memory observe and a diff (nothing at all when the driver's
 * `liveVersion` says the app did not change since it was last found in sync); only a changed
 * tree is rendered.
 * The check runs through the app's queue, never beside a sync of the app: it renders, observes
 * and writes `rt.desired` with nothing else writing them (skipped while a sync runs or waits).
 */
export function evaluateApp(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
  enqueue: Enqueue,
): Promise<void> {
  rt.declared = declared;
  // The replica holding the app's lease observes it and announces drift; the others stay quiet.
  if (!owns(ctx, rt.spec.name)) return Promise.resolve();
  return rt.queue.check(() => checkApp(ctx, rt, enqueue));
}

/** One check, against the newest declared state (checks asked for meanwhile coalesce). */
async function checkApp(ctx: EngineContext, rt: AppRuntime, enqueue: Enqueue): Promise<void> {
  const declared = rt.declared;
  if (!declared) return;
  let digest = declared.digest ?? ABSENT_DIGEST;
  const auto = rt.spec.sync.auto && !rt.lock;

  if (rt.renderError && rt.renderError.digest !== digest) {
    // Git moved past the tree that did not render (a fix, or a revert to what runs): the error
    // goes now, not at the next sync.
    delete rt.renderError;
    if (rt.state.lastError?.code === 'RENDER_FAILED') delete rt.state.lastError;
  }
  if (rt.desired?.digest !== digest) {
    if (rt.renderError?.digest === digest) return; // already reported; wait for a fix in Git
    try {
      rt.desired = await renderDeclared(ctx, rt, declared);
      // The first render learns which directories the app runs from; its digest includes them.
      digest = rt.desired.digest;
    } catch (err) {
      rt.state.lastError = {
        code: isWheelhouseError(err) ? err.code : 'INTERNAL',
        message: errorMessage(err),
        at: ctx.now().toISOString(),
      };
      rt.log.warn({ revision: declared.revision }, errorMessage(err));
      if (isWheelhouseError(err, 'RENDER_FAILED')) {
        ctx.events.publish({
          type: 'render.failed',
          app: rt.spec.name,
          revision: declared.revision,
          message: errorMessage(err),
        });
      }
      await ctx.store.putAppState(rt.state);
      await refreshLive(ctx, rt);
      ctx.events.publish({
        type: 'app.updated',
        app: rt.spec.name,
        syncStatus: rt.syncStatus,
        health: rt.health,
      });
      return;
    }
    // After a restart the tree may be exactly what was last applied: then only drift matters.
    if (auto && rt.state.lastGoodDigest !== digest) {
      enqueue(rt, { trigger: 'auto', actor: `git:${shortSha(declared.revision)}` });
      return;
    }
  } else if (rt.desired.revision !== declared.revision) {
    // A commit that did not touch this app's tree: same desired state, nothing to re-render.
    rt.desired = { ...rt.desired, revision: declared.revision };
  }

  // Nothing changed on either side since a check found the app in sync: the poll costs nothing.
  const version = rt.driver.liveVersion?.(rt.spec.name);
  const now = ctx.now().getTime();
  const clean = rt.lastClean;
  if (
    !rt.fullCheck &&
    version !== undefined &&
    clean?.digest === digest &&
    clean.version === version &&
    now - clean.at < FULL_CHECK_MS
  )
    return;
  rt.fullCheck = false;
  const outOfSync = await refreshLive(ctx, rt);
  const fresh = outOfSync.filter((key) => !rt.announcedDrift.has(key));
  rt.announcedDrift = new Set(outOfSync);
  const applied = rt.state.lastGoodDigest === digest;
  if (fresh.length > 0 && applied) {
    ctx.events.publish({
      type: 'drift.detected',
      app: rt.spec.name,
      resources: rt.changes
        .filter((c) => fresh.includes(c.key))
        .map((c) => ({
          key: c.key,
          reason: c.drift ?? `${c.action}: ${c.fields.map((f) => f.path).join(', ')}`,
        })),
    });
  }
  if (outOfSync.length === 0) {
    rt.healing = undefined;
    return;
  }
  if (!auto || (rt.failures?.digest === digest && rt.failures.nextAttemptAt > now)) return;
  if (!applied) {
    enqueue(rt, { trigger: 'auto', actor: `git:${shortSha(declared.revision)}` });
    return;
  }
  if (!rt.spec.sync.selfHeal || (rt.healing && rt.healing.nextAttemptAt > now)) return;
  // Drift that keeps coming back (a workload that keeps dying) is healed less and less often.
  const count = (rt.healing?.count ?? 0) + 1;
  rt.healing = {
    count,
    nextAttemptAt:
      now + backoffDelay(count, { baseMs: HEAL_BACKOFF_MS, maxMs: HEAL_BACKOFF_MAX_MS, jitter: 0 }),
  };
  enqueue(rt, { trigger: 'self-heal', actor: 'wheelhouse' });
}

/**
 * Remember how an automatic sync of a digest ended: a transient failure is retried after the
 * runner's delay (never sooner than `minDelayMs`); a stalled one waits for a new commit or a person.
 */
export function noteOutcome(
  rt: AppRuntime,
  digest: string,
  outcome: RunOutcome,
  minDelayMs: number,
  now: number,
): void {
  if (outcome.kind === 'ready') {
    rt.failures = undefined;
    return;
  }
  const count = rt.failures?.digest === digest ? rt.failures.count + 1 : 1;
  const delay = outcome.kind === 'stalled' ? Number.POSITIVE_INFINITY : Math.max(outcome.afterMs, minDelayMs);
  rt.failures = { digest, count, nextAttemptAt: now + delay };
}
