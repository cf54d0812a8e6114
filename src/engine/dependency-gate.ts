import { closedWindow } from '../config/index.js';
import type { AppWaiting } from '../core/index.js';
import type { OperationRequest } from './app-queue.js';
import { publishAppUpdated } from './app-updated.js';
import { dependencyWait, dependentsOf, describeWait } from './dependencies.js';
import type { EngineState } from './engine-state.js';
import { refreshLive } from './observe.js';
import type { AppRuntime } from './runtime.js';

export type Push = (rt: AppRuntime, request: OperationRequest) => void;

/**
 * An automatic sync goes to the app's queue only while no sync window holds it (`windows:`) and
 * once every dependency (`dependsOn`) is ready; until then the request is parked on the app
 * (`rt.waiting`, shown by status) and tried again when a dependency's sync ends or a poll has
 * checked every app (`releaseWaiting`) — a window that closed lets it go at the next poll.
 */
export async function gateOnDependencies(
  st: EngineState,
  rt: AppRuntime,
  request: OperationRequest,
  push: Push,
): Promise<void> {
  const revision = request.revision ?? rt.state.pinnedRevision ?? rt.declared?.revision;
  const token = {};
  latest.set(rt, token);
  const wait = windowWait(st, rt, revision) ?? (await dependencyWait(st, rt, revision));
  // Only the newest look at the dependencies decides (an older one may have read older states).
  if (st.stopped || latest.get(rt) !== token) return;
  if (!wait) {
    if (rt.waiting) {
      delete rt.waiting;
      publishAppUpdated(st.ctx, rt);
    }
    push(rt, request);
    return;
  }
  const changed = rt.waiting?.wait.reason !== wait.reason;
  rt.waiting = { wait, request };
  if (!changed) return;
  rt.log.info(describeWait(rt.spec.name, wait));
  // The check that parked the sync did not compare with the target: status should say OutOfSync.
  await rt.queue.check(async () => {
    await refreshLive(st.ctx, rt);
  });
  publishAppUpdated(st.ctx, rt);
}

const latest = new WeakMap<AppRuntime, object>();

/** Whether the gate has anything to check for the app (else its syncs go straight to the queue). */
export function gated(st: EngineState, rt: AppRuntime): boolean {
  return (
    (rt.spec.dependsOn?.length ?? 0) > 0 || (st.config?.windows?.length ?? 0) > 0 || rt.waiting !== undefined
  );
}

function windowWait(st: EngineState, rt: AppRuntime, revision: string | undefined): AppWaiting | undefined {
  const closed = closedWindow(st.config?.windows, rt.spec, st.now());
  if (!closed) return undefined;
  return {
    on: [],
    reason: `automatic syncs wait: ${closed.reason}`,
    blocked: false,
    ...(revision ? { revision } : {}),
    since: rt.waiting?.wait.since ?? st.now().toISOString(),
    window: closed.window,
    ...(closed.until ? { until: closed.until } : {}),
  };
}

/** Try the parked syncs again: of the dependents of `app`, or of every app when none is named. */
export function releaseWaiting(st: EngineState, push: Push, app?: string): void {
  const apps = app === undefined ? [...st.runtimes.values()] : dependentsOf(st, app);
  for (const rt of apps) {
    const parked = rt.waiting;
    if (!parked) continue;
    void gateOnDependencies(st, rt, parked.request, push).catch((err: unknown) =>
      rt.log.error({ err: String(err) }, 'checking dependencies failed'),
    );
  }
}
