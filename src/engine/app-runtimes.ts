import {
  type AppSpec,
  type ControlConfig,
  type Driver,
  errorMessage,
  formatIssue,
  type SyncRecord,
  type TargetSpec,
  WheelhouseError,
} from '../core/index.js';
import { createRedactor } from '../util/index.js';
import { createAppQueue, type OperationRequest } from './app-queue.js';
import { withCiJobs } from './ci-job-driver.js';
import { CONTROL_FILE, locateTarget } from './control.js';
import { gated, gateOnDependencies, releaseWaiting } from './dependency-gate.js';
import { renderTarget } from './desired.js';
import type { EngineState, TargetDriver } from './engine-state.js';
import { noteOutcome } from './evaluate.js';
import { lastSyncShown } from './last-sync.js';
import { owns } from './owns.js';
import { onDriverEvent } from './poll.js';
import { groupFor, leaveGroup, repoOf, retune } from './repo-groups.js';
import type { AppRuntime } from './runtime.js';
import { runSyncOperation } from './sync-operation.js';
import { unavailableDriver } from './unavailable-driver.js';

// App runtimes: a valid wheelhouse.yaml applied to what runs (apps added, changed, removed), the
// driver of each target started once, and operations queued per app.

export async function driverFor(st: EngineState, targetName: string): Promise<Driver> {
  const existing = st.drivers.get(targetName);
  if (existing) return existing.driver;
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
  const entry: TargetDriver = { driver, spec: targetSpecKey(target) };
  st.drivers.set(targetName, entry);
  try {
    await driver.start();
  } catch (err) {
    // Not kept: the next wheelhouse.yaml (or restart) tries again instead of using a dead driver.
    st.drivers.delete(targetName);
    throw err;
  }
  if (driver.watch) entry.unwatch = driver.watch((event) => onDriverEvent(st, event));
  return driver;
}

const targetSpecKey = (target: TargetSpec): string => JSON.stringify([target.driver, target.options]);

/**
 * Drivers of targets whose driver or options changed in wheelhouse.yaml (or that were removed)
 * are stopped once their apps' operations finish; the apps then get a driver built from the new
 * options. What runs on the target is left running (drivers adopt it again on start).
 */
async function dropChangedDrivers(st: EngineState, next: ControlConfig): Promise<void> {
  for (const [name, entry] of [...st.drivers]) {
    const target = next.targets[name];
    if (target && targetSpecKey(target) === entry.spec) continue;
    st.drivers.delete(name);
    const onTarget = [...st.runtimes.values()].filter((rt) => rt.driver === entry.driver);
    await Promise.all(onTarget.map((rt) => rt.queue.idle()));
    entry.unwatch?.();
    await entry.driver.stop();
    st.deps.log.info({ target: name }, `target ${name} changed in wheelhouse.yaml; its driver was restarted`);
  }
}

/** `text` is the wheelhouse.yaml `next` was parsed from, to locate an app that cannot be set up. */
export async function applyConfig(st: EngineState, next: ControlConfig, text?: string): Promise<void> {
  await dropChangedDrivers(st, next);
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
      st.deps.log.error({ app: spec.name }, `app ${spec.name} cannot be set up: ${errorMessage(err)}`);
      await keepListed(st, spec, err, text);
    }
  }
  for (const group of [...st.groups.values()]) retune(st, group);
}

export async function applyApp(st: EngineState, spec: AppSpec): Promise<void> {
  const existing = st.runtimes.get(spec.name);
  const sameDriver = existing?.driver === st.drivers.get(spec.target)?.driver;
  if (existing && sameDriver && JSON.stringify(existing.spec) === JSON.stringify(spec)) return;
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

/**
 * An app that cannot be set up (its target's driver does not start, its source cannot be used) is
 * kept with a problem naming its target, like an app whose entry has one: not polled or synced,
 * shown with the reason in `apps` and `status` (never dropped from them). What runs stays.
 */
async function keepListed(
  st: EngineState,
  spec: AppSpec,
  err: unknown,
  text: string | undefined,
): Promise<void> {
  const reason = errorMessage(err);
  const where = text === undefined ? undefined : locateTarget(text, spec.target);
  const problem = {
    file: CONTROL_FILE,
    line: where?.line ?? 1,
    column: where?.column ?? 1,
    path: `targets.${spec.target}`,
    message: `app ${spec.name} cannot be set up on target ${spec.target}: ${reason}`,
  };
  const listed = { ...spec, problem };
  const driver = unavailableDriver(spec.target, reason);
  const existing = st.runtimes.get(spec.name);
  if (existing) {
    leaveGroup(st, existing);
    existing.spec = listed;
    existing.driver = driver;
    existing.problemSince = st.now().toISOString();
    return;
  }
  try {
    const rt = await createRuntime(st, listed, driver);
    rt.problemSince = st.now().toISOString();
    st.runtimes.set(spec.name, rt);
  } catch (again) {
    st.deps.log.error({ app: spec.name }, `app ${spec.name} cannot be listed either: ${errorMessage(again)}`);
  }
}

export async function createRuntime(st: EngineState, spec: AppSpec, driver?: Driver): Promise<AppRuntime> {
  const state = (await st.deps.store.getAppState(spec.name)) ?? { app: spec.name, inventory: [] };
  const rt: AppRuntime = {
    spec,
    repo: spec.problem ? { url: spec.source.repo } : repoOf(st, spec),
    driver: driver ?? (await driverFor(st, spec.target)),
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
