import {
  type DesiredResource,
  errorMessage,
  isWheelhouseError,
  type LiveResource,
  type Logger,
  type SyncRecord,
  WheelhouseError,
} from '../core/index.js';
import { diffResources, redactChanges } from '../diff/index.js';
import {
  type BaseApplyContext,
  describePlan,
  planSync,
  type RunOutcome,
  runPlan,
} from '../reconcile/index.js';
import { shortSha } from '../util/index.js';
import type { OperationRequest } from './app-queue.js';
import type { EngineContext } from './context.js';
import { ABSENT_DIGEST, declaredAt, renderDeclared } from './desired.js';
import { withinDriverSync } from './driver-sync.js';
import { fencedDriver } from './fenced-driver.js';
import { replacesLastSync } from './last-sync.js';
import { refreshLive } from './observe.js';
import type { AppRuntime, Declared } from './runtime.js';
import { requireVerified } from './verify-source.js';

/**
 * One sync of one app, Flux-style: the history record is written before anything is touched and
 * always finished in `finally`, so a crash leaves a `running` record that the next start resumes.
 */
export async function runSyncOperation(
  ctx: EngineContext,
  rt: AppRuntime,
  id: string,
  request: OperationRequest,
  options: { dryRun: boolean },
): Promise<{ record: SyncRecord; outcome: RunOutcome }> {
  const app = rt.spec.name;
  const log = rt.log.child({ sync: id });
  const resumed = request.resumeId ? await ctx.store.getSync(request.resumeId) : undefined;
  const record: SyncRecord = resumed ?? {
    id,
    app,
    revision: '',
    digest: '',
    actor: request.actor,
    trigger: request.trigger,
    dryRun: options.dryRun,
    startedAt: ctx.now().toISOString(),
    result: 'running',
    changeSet: [],
    messages: request.forcedWindow
      ? [`forced by ${request.actor} inside the deny window ${request.forcedWindow}`]
      : [],
  };
  if (resumed) record.messages.push('resumed after the engine restarted');
  let outcome: RunOutcome = { kind: 'ready' };
  /** An automatic sync that found nothing to do: no history record, no events. */
  let skipped = false;
  let inserted = resumed !== undefined;
  /** Another replica took the app over: what was not applied yet never will be (fencing). */
  let abandoned = false;
  const progress = (step: string, message: string, resource?: string) => {
    if (rt.operation?.syncId === id) Object.assign(rt.operation, { step, message });
    ctx.events.publish({
      type: 'sync.progress',
      app,
      syncId: id,
      step,
      message,
      ...(resource ? { resource } : {}),
    });
  };

  try {
    await ctx.semaphore.run(async () => {
      rt.operation = {
        syncId: id,
        startedAt: record.startedAt,
        step: 'source',
        message: 'resolving revision',
      };
      const fence = options.dryRun ? undefined : fenceOf(ctx, app);
      const declared = await target(ctx, rt, request, resumed);
      record.revision = declared.revision;
      record.digest = declared.digest ?? ABSENT_DIGEST;
      const verified = rt.spec.source.verify ? rt.state.verified : undefined;
      if (!resumed && verified?.revision === declared.revision)
        record.messages.push(`signature verified: signed by ${verified.signer}`);
      if (request.trigger === 'auto' && !resumed) record.actor = `git:${shortSha(declared.revision)}`;
      if (!options.dryRun) rt.declared = declared;
      if (!resumed && (request.trigger === 'self-heal' || request.trigger === 'retry')) {
        // The drift may already be gone (a supervisor restarted the process): then there is
        // nothing to do and nothing to record.
        const current = await renderDeclared(ctx, rt, declared);
        const live = await rt.driver.observe(app);
        if (
          diffResources(current.resources, live, { digest: current.digest }).every(
            (c) => c.action === 'unchanged',
          )
        ) {
          skipped = true;
          record.result = 'succeeded';
          return;
        }
      }
      if (!options.dryRun) {
        if (request.revision) rt.state.pinnedRevision = declared.revision;
        else if (request.trigger === 'manual') delete rt.state.pinnedRevision;
        rt.state.pendingSyncId = id;
        await fence?.();
        await ctx.store.putAppState(rt.state);
      }
      if (!inserted) {
        await ctx.store.insertSync(record);
        inserted = true;
      }
      ctx.events.publish({
        type: 'sync.started',
        app,
        syncId: id,
        revision: record.revision,
        actor: record.actor,
        dryRun: options.dryRun,
      });

      progress('render', `rendering ${rt.spec.path} at ${shortSha(declared.revision)}`);
      const desired = await renderDeclared(ctx, rt, declared);
      record.digest = desired.digest;
      if (!options.dryRun) rt.desired = desired;

      progress('diff', 'comparing with the live state');
      const live = await rt.driver.observe(app);
      const changes = diffResources(desired.resources, live, { digest: desired.digest });
      const plan = planSync({
        desired: desired.resources,
        live,
        changes,
        prune: rt.spec.sync.prune,
        allowEmpty: rt.spec.sync.allowEmpty,
        kindOrder: kindOrder(ctx, rt),
      });
      if (options.dryRun) {
        record.changeSet = changes;
        record.result = plan.refused ? 'failed' : 'succeeded';
        record.messages.push(
          plan.refused ? plan.refused.message : `dry run: ${describePlan(plan)}; nothing was applied`,
        );
        return;
      }

      const recorded = await recordedFacts(ctx, app, desired.digest);
      const result = await withinDriverSync(rt.driver, app, log, () =>
        runPlan({
          plan,
          driver: fence ? fencedDriver(rt.driver, fence) : rt.driver,
          context: (resource) => applyContext(ctx, rt, declared, resource, recorded[resource.key]),
          timeoutMs: rt.spec.sync.timeoutMs,
          retries: rt.spec.sync.retries,
          attempt: rt.failures?.digest === record.digest ? rt.failures.count : 0,
          onProgress: progress,
          signal: ctx.shutdown,
          redact: ctx.redact(),
        }),
      );
      record.changeSet = result.applied;
      // Fenced at the apply boundary: what this replica did stays recorded, the rest is the new owner's.
      if (result.failure?.code === 'LEASE_LOST')
        throw new WheelhouseError('LEASE_LOST', result.failure.message);
      outcome = result.outcome;
      record.messages.push(...result.messages);
      if (Object.keys(result.facts).length > 0) record.facts = result.facts;
      record.health = result.health;
      record.result = result.result;
      if (result.result === 'succeeded') {
        rt.state.lastGoodRevision = declared.revision;
        rt.state.lastGoodDigest = desired.digest;
        rt.state.inventory = desired.resources.map((r) => r.key);
        delete rt.state.lastError;
      } else if (result.failure) {
        rt.state.lastError = {
          code: result.failure.code ?? result.failure.reason,
          message: result.failure.message,
          at: ctx.now().toISOString(),
        };
      }
    });
  } catch (err) {
    if (isWheelhouseError(err, 'LEASE_LOST')) {
      abandoned = true;
      record.result = 'cancelled';
      record.messages.push(`abandoned: ${errorMessage(err)}`);
      log.warn(errorMessage(err));
      return { record, outcome };
    }
    // Bad manifests need a commit to fix; anything else (git unreachable, a store hiccup) may pass.
    outcome =
      isWheelhouseError(err, 'RENDER_FAILED') || isWheelhouseError(err, 'REF_NOT_FOUND')
        ? { kind: 'stalled', reason: errorMessage(err) }
        : { kind: 'requeue', afterMs: 0, reason: errorMessage(err) };
    record.result = 'failed';
    record.messages.push(errorMessage(err));
    rt.state.lastError = {
      code: isWheelhouseError(err) ? err.code : 'INTERNAL',
      message: errorMessage(err),
      at: ctx.now().toISOString(),
    };
    if (!isWheelhouseError(err)) log.error({ err }, 'sync failed unexpectedly');
  } finally {
    record.finishedAt = ctx.now().toISOString();
    delete rt.operation;
    if (skipped) await refreshLive(ctx, rt);
    else await finish(ctx, rt, record, { dryRun: options.dryRun, inserted, abandoned }, log);
  }
  return { record, outcome };
}

/** Record the sync, then announce it: history is written before anyone hears it is done. */
async function finish(
  ctx: EngineContext,
  rt: AppRuntime,
  record: SyncRecord,
  { dryRun, inserted, abandoned }: { dryRun: boolean; inserted: boolean; abandoned: boolean },
  log: Logger,
): Promise<void> {
  if (record.result === 'running') record.result = 'failed';
  // Values decrypted from SOPS files (and secretPatterns matches) never reach history or events.
  record.changeSet = redactChanges(record.changeSet, { redact: ctx.redact(), maskSensitiveKeys: false });
  try {
    if (inserted) await ctx.store.updateSync(record);
    else await ctx.store.insertSync(record);
    // The app's state belongs to the replica that took it over.
    if (!dryRun && !abandoned) {
      delete rt.state.pendingSyncId;
      await ctx.store.putAppState(rt.state);
    }
  } catch (err) {
    log.error({ err: errorMessage(err) }, 'could not record the sync in the store');
  }
  if (!dryRun) {
    if (replacesLastSync(rt.lastSync, record)) rt.lastSync = record;
    await refreshLive(ctx, rt);
  }
  ctx.events.publish({
    type: 'sync.finished',
    app: record.app,
    syncId: record.id,
    revision: record.revision,
    result: record.result,
    actor: record.actor,
    ...(record.health ? { health: record.health } : {}),
    changes: record.changeSet,
    record,
  });
  log.debug({ result: record.result, revision: shortSha(record.revision) }, `sync ${record.result}`);
}

/**
 * With replicas: the check this sync makes before it touches anything, bound to the lease token it
 * starts with. A sync on an app this replica does not own is refused before it begins.
 */
function fenceOf(ctx: EngineContext, app: string): (() => Promise<void>) | undefined {
  const cluster = ctx.cluster;
  if (!cluster) return undefined;
  const token = cluster.lease(app);
  if (token === undefined) {
    throw new WheelhouseError(
      'LEASE_LOST',
      `replica ${cluster.replicaId} does not hold the lease of app ${app}; the replica holding it syncs it (wheelhouse status --replicas)`,
      { details: { app, replica: cluster.replicaId } },
    );
  }
  return () => cluster.fence(app, token);
}

/** Which revision this operation converges to: explicit > resumed > pin (automatic) > the ref. */
async function target(
  ctx: EngineContext,
  rt: AppRuntime,
  request: OperationRequest,
  resumed: SyncRecord | undefined,
): Promise<Declared> {
  if (request.revision) {
    await ctx.source.fetch(rt.repo);
    const revision = await ctx.source.resolve(rt.repo, request.revision);
    return declaredAt(ctx, rt, await requireVerified(ctx, rt, revision, true));
  }
  if (resumed?.revision) return declaredAt(ctx, rt, resumed.revision);
  const pinned = request.trigger !== 'manual' ? rt.state.pinnedRevision : undefined;
  if (pinned) return declaredAt(ctx, rt, pinned);
  if (request.trigger === 'manual') await ctx.source.fetch(rt.repo);
  const revision = await ctx.source.resolve(rt.repo, rt.spec.source.ref);
  return declaredAt(ctx, rt, await requireVerified(ctx, rt, revision, false));
}

function kindOrder(ctx: EngineContext, rt: AppRuntime): (kind: string) => number {
  const kinds = ctx.kinds.kindsFor(rt.driver.name);
  const foreign = ctx.kinds.foreignFor?.(rt.driver.name);
  return (kind) => kinds.find((k) => k.kind === kind)?.order ?? foreign?.order(kind) ?? 100;
}

function applyContext(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
  resource: DesiredResource | LiveResource,
  recorded: Record<string, unknown> | undefined,
): BaseApplyContext {
  return {
    app: rt.spec.name,
    revision: declared.revision,
    digest: declared.digest ?? ABSENT_DIGEST,
    checkout: () => ctx.source.materialize(rt.repo, declared.revision),
    log: rt.log.child({ resource: resource.key }),
    ...(recorded ? { recorded } : {}),
  };
}

/**
 * Facts per resource from earlier successful syncs of the same tree (newest first wins): a tree
 * applied again, as a rollback does, gets back exactly what it ran (e.g. the image digest).
 */
async function recordedFacts(
  ctx: EngineContext,
  app: string,
  digest: string,
): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const recorded of await ctx.store.listSyncFacts(app, digest, 200)) {
    for (const [key, facts] of Object.entries(recorded)) {
      if (!(key in out) && facts !== null && typeof facts === 'object')
        out[key] = facts as Record<string, unknown>;
    }
  }
  return out;
}
