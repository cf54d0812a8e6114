import {
  type AppSpec,
  type ControlConfig,
  type Driver,
  errorMessage,
  formatIssue,
  type SyncRecord,
  WheelhouseError,
} from '../core/index.js';
import { createRedactor } from '../util/index.js';
import { createAppQueue, type OperationRequest } from './app-queue.js';
import { withCiJobs } from './ci-job-driver.js';
import { gated, gateOnDependencies, releaseWaiting } from './dependency-gate.js';
import { renderTarget } from './desired.js';
import type { EngineState } from './engine-state.js';
import { noteOutcome } from './evaluate.js';
import { lastSyncShown } from './last-sync.js';
import { owns } from './owns.js';
import { onDriverEvent } from './poll.js';
import { groupFor, leaveGroup, repoOf, retune } from './repo-groups.js';
import type { AppRuntime } from './runtime.js';
import { runSyncOperation } from './sync-operation.js';

// App runtimes: a valid wheelhouse.yaml applied to what runs (apps added, changed, removed), the
// driver of each target started once, and operations queued per app.

export async function driverFor(st: EngineState, targetName: string): Promise<Driver> {
  const existing = st.drivers.get(targetName);
  if (existing) return existing;
  const target = st.config?.targets[targetName];
  if (!target) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `target ${targetName} is not declared in wheelhouse.yaml; add it under targets:`,
    );
  }
  // CIJob hooks run on CI servers, beside whatever the target's driver runs.
  const driver = withCiJobs(st.deps.createDriver(target), {
    ...(st.deps.ciJobs ? { runner: st.deps.ciJobs } : {}),
    stateOf: (app) => st.runtimes.get(app)?.state,
    now: st.now,
  });
  st.drivers.set(targetName, driver);
  await driver.start();
  if (driver.watch) st.unwatch.push(driver.watch((event) => onDriverEvent(st, event)));
  return driver;
}

export async function applyConfig(st: EngineState, next: ControlConfig): Promise<void> {
  st.config = next;
  st.redactor = createRedactor({ patterns: next.secretPatterns, values: [...st.secretValues] });
  const wanted = new Set(next.apps.map((a) => a.name));
  for (const [name, rt] of st.runtimes) {
    if (wanted.has(name)) continue;
    rt.log.warn(
      `app ${name} was removed from wheelhouse.yaml; its resources keep running (stop them on the target, or re-add the app with an empty path and allowEmpty: true to prune)`,
    );
    st.runtimes.delete(name);
    // By membership, never by re-parsing the URL: a removed app's URL may be the bad one.
    leaveGroup(st, rt);
  }
  // One app that cannot be set up (a bad source, a driver that fails to start) fails alone.
  for (const spec of next.apps) {
    try {
      await applyApp(st, spec);
    } catch (err) {
      const rt = st.runtimes.get(spec.name);
      if (rt) leaveGroup(st, rt);
      const message = `app ${spec.name} cannot be set up: ${errorMessage(err)}`;
      if (rt) rt.state.lastError = { code: 'CONFIG_INVALID', message, at: st.now().toISOString() };
      st.deps.log.error({ app: spec.name }, message);
    }
  }
  for (const group of [...st.groups.values()]) retune(st, group);
}

export async function applyApp(st: EngineState, spec: AppSpec): Promise<void> {
  const existing = st.runtimes.get(spec.name);
  if (existing && JSON.stringify(existing.spec) === JSON.stringify(spec)) return;
  const rt = existing ?? (await createRuntime(st, spec));
  st.runtimes.set(spec.name, rt);
  if (existing) {
    const driver = await driverFor(st, spec.target);
    leaveGroup(st, existing);
    const renderedFor = renderTarget(existing);
    existing.spec = spec;
    existing.driver = driver;
    existing.targetOptions = st.config?.targets[spec.target]?.options ?? {};
    // Same tree, other render inputs (ignoreDifferences, the target's namespace): render again.
    if (renderTarget(existing) !== renderedFor) delete existing.desired;
  }
  if (spec.problem) {
    // Shown with its problem, not polled; what runs keeps running until the entry is fixed.
    rt.problemSince = st.now().toISOString();
    rt.log.error(`not managed until wheelhouse.yaml is fixed: ${formatIssue(spec.problem)}`);
    return;
  }
  delete rt.problemSince;
  rt.repo = repoOf(st, spec);
  groupFor(st, rt.repo, spec.sourceIsControlRepo).apps.add(rt);
}

export async function createRuntime(st: EngineState, spec: AppSpec): Promise<AppRuntime> {
  const state = (await st.deps.store.getAppState(spec.name)) ?? { app: spec.name, inventory: [] };
  const rt: AppRuntime = {
    spec,
    repo: spec.problem ? { url: spec.source.repo } : repoOf(st, spec),
    driver: await driverFor(st, spec.target),
    targetOptions: st.config?.targets[spec.target]?.options ?? {},
    log: st.deps.log.child({ app: spec.name }),
    state,
    live: [],
    changes: [],
    syncStatus: 'Unknown',
    health: { status: 'Unknown', message: 'not observed yet' },
    queue: createAppQueue((id, request) => operate(st, rt, id, request)),
    failures: undefined,
    healing: undefined,
    announcedDrift: new Set(),
    sourcePaths: [],
  };
  const last = await lastSyncShown(st.deps.store, spec.name);
  if (last) rt.lastSync = last;
  return rt;
}

export async function operate(
  st: EngineState,
  rt: AppRuntime,
  id: string,
  request: OperationRequest,
): Promise<SyncRecord> {
  delete rt.waiting;
  const { record, outcome } = await runSyncOperation(st.ctx, rt, id, request, { dryRun: false });
  noteOutcome(rt, record.digest, outcome, st.options.retryBaseMs ?? 10_000, st.now().getTime());
  // Once this app's queue is idle (it counts as busy until then), its dependents may go.
  void rt.queue.idle().then(() => releaseWaiting(st, (app, next) => queueNow(st, app, next), rt.spec.name));
  return record;
}

/** Queue an automatic operation; an app with `dependsOn` waits for its dependencies first. */
export function enqueue(st: EngineState, rt: AppRuntime, request: OperationRequest): void {
  // Another replica reconciles an app whose lease this one does not hold.
  if (st.stopped || rt.spec.problem || !owns(st.ctx, rt.spec.name)) return;
  if (!gated(st, rt)) {
    queueNow(st, rt, request);
    return;
  }
  void gateOnDependencies(st, rt, request, (app, next) => queueNow(st, app, next)).catch((err) =>
    rt.log.error({ err: errorMessage(err) }, 'checking dependencies failed'),
  );
}

/** Into the app's queue at once (dependencies already checked, or none). */
export function queueNow(st: EngineState, rt: AppRuntime, request: OperationRequest): void {
  if (st.stopped || rt.spec.problem || !owns(st.ctx, rt.spec.name)) return;
  void rt.queue
    .enqueue(request)
    .done.catch((err) => rt.log.error({ err: errorMessage(err) }, 'operation failed'));
}
