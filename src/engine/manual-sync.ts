import { closedWindow } from '../config/index.js';
import { type SyncRequest, WheelhouseError } from '../core/index.js';
import { dependencyWait, describeWait } from './dependencies.js';
import type { EngineState } from './engine-state.js';
import type { AppRuntime } from './runtime.js';

/**
 * A person's sync does not wait in the background like an automatic one: inside a deny window it
 * is refused unless forced (the access layer lets only admins force), and while a dependency is
 * not ready it is refused saying what to fix first. Returns the window a forced sync runs inside.
 */
export async function admitManualSync(
  st: EngineState,
  rt: AppRuntime,
  request: SyncRequest,
): Promise<{ forcedWindow?: string }> {
  const name = rt.spec.name;
  const closed = closedWindow(st.config?.windows, rt.spec, st.now());
  if (closed?.kind === 'deny' && !request.force) {
    throw new WheelhouseError(
      'CONFLICT',
      `app ${name} was not synced: ${closed.reason} — sync after it closes, or an admin can force it (\`sync ${name} --force\`)`,
      { details: { app: name, window: closed.window } },
    );
  }
  const wait = await dependencyWait(st, rt, request.revision ? undefined : rt.declared?.revision);
  if (wait) {
    throw new WheelhouseError('CONFLICT', describeWait(name, wait, true), {
      details: { app: name, dependencies: wait.on },
    });
  }
  return closed?.kind === 'deny' ? { forcedWindow: closed.window } : {};
}
