import { type DriverEvent, errorMessage, formatIssue } from '../core/index.js';
import { shortSha } from '../util/index.js';
import { applyConfig, enqueue } from './app-runtimes.js';
import { type ControlLoad, loadControlConfig } from './control.js';
import { ABSENT_DIGEST, declaredFrom, digestPaths } from './desired.js';
import type { EngineState, RepoGroup } from './engine-state.js';
import { evaluateApp } from './evaluate.js';
import { noteFetch } from './repo-groups.js';
import type { AppRuntime } from './runtime.js';
import { forEachLimited } from './semaphore.js';

// Polling and checks: one tick of a repo group (fetch, reload wheelhouse.yaml when it is the
// control repo, locks, then a check of every app), and the check a driver event asks for.

/** Apps of one repo checked at once during a poll. */
const EVALUATE_CONCURRENCY = 16;

export async function tickGroup(st: EngineState, group: RepoGroup): Promise<void> {
  if (st.stopped) return;
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
      const revision = await revisionOf(rt);
      byRevision.set(revision, [...(byRevision.get(revision) ?? []), rt]);
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
  const revision = await st.deps.source.resolve(st.control, st.control.ref);
  if (revision === st.controlRevision) return;
  let load: ControlLoad;
  try {
    load = await loadControlConfig(st.deps.source, st.control, revision, st.deps.drivers);
  } catch (err) {
    st.deps.log.error({ err: errorMessage(err) }, 'cannot read wheelhouse.yaml');
    return;
  }
  st.controlRevision = revision;
  if (!load.ok) {
    st.configIssues = load.issues;
    st.deps.log.error(
      `wheelhouse.yaml at ${shortSha(revision)} is invalid; ${st.config ? 'the last valid configuration stays in force' : 'no apps run until it is fixed'}:\n${load.issues.map(formatIssue).join('\n')}`,
    );
    return;
  }
  st.configIssues = [];
  await applyConfig(st, load.config);
}

export async function refreshLocks(st: EngineState): Promise<void> {
  const locks = new Map((await st.deps.store.listLocks()).map((l) => [l.app, l]));
  for (const rt of st.runtimes.values()) {
    const lock = locks.get(rt.spec.name);
    const changed = lock?.holder !== rt.lock?.holder || lock?.createdAt !== rt.lock?.createdAt;
    if (lock) rt.lock = lock;
    else delete rt.lock;
    // A lock taken or released shows everywhere at once (the dashboard re-reads on app.updated).
    if (changed) {
      st.ctx.events.publish({
        type: 'app.updated',
        app: rt.spec.name,
        syncStatus: rt.syncStatus,
        health: rt.health,
        ...(rt.state.lastGoodRevision ? { revision: rt.state.lastGoodRevision } : {}),
      });
    }
  }
}

export function onDriverEvent(st: EngineState, event: DriverEvent): void {
  const rt = st.runtimes.get(event.app);
  if (!rt?.declared || st.stopped || rt.spec.problem) return;
  rt.log.debug({ resource: event.key }, `target changed: ${event.reason}`);
  void evaluateApp(st.ctx, rt, rt.declared, (app, request) => enqueue(st, app, request)).catch((err) =>
    rt.log.error({ err: errorMessage(err) }, 'check failed'),
  );
}
