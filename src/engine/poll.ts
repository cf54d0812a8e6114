import { type DriverEvent, errorMessage } from '../core/index.js';
import { applyConfig, enqueue, queueNow } from './app-runtimes.js';
import { publishAppUpdated } from './app-updated.js';
import { type ControlLoad, loadControlConfig } from './control.js';
import { releaseWaiting } from './dependency-gate.js';
import { ABSENT_DIGEST, declaredFrom, digestPaths } from './desired.js';
import type { EngineState, RepoGroup } from './engine-state.js';
import { evaluateApp } from './evaluate.js';
import { owns } from './owns.js';
import { noteFetch } from './repo-groups.js';
import type { AppRuntime } from './runtime.js';
import { forEachLimited } from './semaphore.js';
import { controlRevisionVerified } from './verify-control.js';
import { acceptedRevision } from './verify-source.js';

// Polling and checks: one tick of a repo group (fetch, reload wheelhouse.yaml when it is the
// control repo, locks, then a check of every app), and the check a driver event asks for.

/** Apps of one repo checked at once during a poll. */
const EVALUATE_CONCURRENCY = 16;

export async function tickGroup(st: EngineState, group: RepoGroup): Promise<void> {
  if (st.stopped) return;
  // With replicas, a repository is fetched by the replicas that own apps of it, not by all (the
  // control repo by every replica: each needs wheelhouse.yaml). Taking an app's lease polls at once.
  if (!group.control && st.ctx.cluster && ![...group.apps].some((rt) => owns(st.ctx, rt.spec.name))) return;
  let fetchError: string | undefined;
  try {
    await st.deps.source.fetch(group.repo);
  } catch (err) {
    // The mirror keeps the last fetched state: apps keep being checked against it.
    fetchError = st.ctx.redact()(errorMessage(err));
    st.ctx.events.publish({ type: 'source.failed', repo: group.key, message: fetchError });
    st.deps.log.warn({ repo: group.key }, fetchError);
  }
  noteFetch(st, group, fetchError);
  if (group.control) await reloadControl(st);
  await refreshLocks(st);
  const apps = [...group.apps];
  const refs = new Map<string, Promise<string>>();
  const revisionOf = (rt: AppRuntime): Promise<string> => {
    if (rt.state.pinnedRevision) return Promise.resolve(rt.state.pinnedRevision);
    const ref = rt.spec.source.ref;
    let found = refs.get(ref);
    if (!found) {
      found = st.deps.source.resolve(group.repo, ref);
      refs.set(ref, found);
    }
    return found;
  };
  const byRevision = new Map<string, AppRuntime[]>();
  for (const rt of apps) {
    try {
      const resolved = await revisionOf(rt);
      // A pin is a person's choice of a revision already checked when it was synced.
      const revision = rt.state.pinnedRevision ? resolved : await acceptedRevision(st.ctx, rt, resolved);
      if (revision === undefined) continue;
      const same = byRevision.get(revision);
      if (same) same.push(rt);
      else byRevision.set(revision, [rt]);
    } catch (err) {
      rt.state.lastError = { code: 'REF_NOT_FOUND', message: errorMessage(err), at: st.now().toISOString() };
    }
  }
  const changedApps: string[] = [];
  for (const [revision, list] of byRevision) {
    const ids = await st.deps.source.treeIds(group.repo, revision, [...new Set(list.flatMap(digestPaths))]);
    // Checks overlap so reads of changed trees pipeline through git's long-lived process.
    await forEachLimited(list, EVALUATE_CONCURRENCY, async (rt) => {
      const declared = declaredFrom(rt, revision, ids);
      if ((rt.desired?.digest ?? '') !== (declared.digest ?? ABSENT_DIGEST)) changedApps.push(rt.spec.name);
      try {
        await evaluateApp(st.ctx, rt, declared, (app, request) => enqueue(st, app, request));
      } catch (err) {
        rt.log.error({ err: errorMessage(err) }, 'check failed');
      }
    });
  }
  // Every app is checked: syncs parked on a dependency that is ready now may start.
  releaseWaiting(st, (rt, request) => queueNow(st, rt, request));
  for (const [ref, promise] of refs) {
    const revision = await promise.catch(() => undefined);
    if (revision && group.revisions.get(ref) !== revision) {
      const first = !group.revisions.has(ref);
      group.revisions.set(ref, revision);
      if (!first)
        st.ctx.events.publish({ type: 'source.updated', repo: group.key, revision, apps: changedApps });
    }
  }
}

export async function reloadControl(st: EngineState): Promise<void> {
  let revision: string;
  try {
    revision = await st.deps.source.resolve(st.control, st.control.ref);
  } catch (err) {
    unreadableControl(st, err);
    return;
  }
  if (revision === st.controlRevision) return;
  if (!(await controlRevisionVerified(st, revision))) return;
  let load: ControlLoad;
  try {
    const inForce =
      st.config && st.controlText !== undefined ? { text: st.controlText, config: st.config } : undefined;
    load = await loadControlConfig(
      st.deps.source,
      st.control,
      revision,
      st.deps.drivers,
      st.deps.checkTargetOptions,
      inForce,
    );
  } catch (err) {
    unreadableControl(st, err, revision);
    return;
  }
  st.controlRevision = revision;
  if (!load.ok) {
    st.configIssues = load.issues;
    st.controlStatus.refused(revision, load.issues);
    st.deps.log.error(st.controlStatus.status().problem?.message ?? 'wheelhouse.yaml is invalid');
    return;
  }
  st.configIssues = [];
  st.controlStatus.loaded(revision);
  st.controlStatus.signedBy(st.controlTrust.signer);
  if (load.unchanged) return;
  await applyConfig(st, load.config, load.text);
  st.controlText = load.text;
}

/** Logged once per distinct problem (every poll meets it again), shown by `control()`. */
export function unreadableControl(st: EngineState, err: unknown, revision?: string): void {
  const before = st.controlStatus.status().problem?.message;
  st.controlStatus.unreadable(err, revision);
  const after = st.controlStatus.status().problem?.message;
  if (after && after !== before) st.deps.log.error(after);
}

export async function refreshLocks(st: EngineState): Promise<void> {
  const locks = new Map((await st.deps.store.listLocks()).map((l) => [l.app, l]));
  for (const rt of st.runtimes.values()) {
    const lock = locks.get(rt.spec.name);
    const changed = lock?.holder !== rt.lock?.holder || lock?.createdAt !== rt.lock?.createdAt;
    if (lock) rt.lock = lock;
    else delete rt.lock;
    // A lock taken or released shows everywhere at once (the dashboard re-reads on app.updated).
    if (changed) publishAppUpdated(st.ctx, rt);
  }
}

export function onDriverEvent(st: EngineState, event: DriverEvent): void {
  const rt = st.runtimes.get(event.app);
  if (!rt?.declared || st.stopped || rt.spec.problem) return;
  st.recordRestart(event);
  rt.log.debug({ resource: event.key }, `target changed: ${event.reason}`);
  void evaluateApp(st.ctx, rt, rt.declared, (app, request) => enqueue(st, app, request)).catch((err) =>
    rt.log.error({ err: errorMessage(err) }, 'check failed'),
  );
}
