import type { EngineContext } from './context.js';
import type { AppRuntime } from './runtime.js';

/** Tell every surface the app's status changed (the dashboard re-reads the app on it). */
export function publishAppUpdated(ctx: EngineContext, rt: AppRuntime): void {
  ctx.events.publish({
    type: 'app.updated',
    app: rt.spec.name,
    syncStatus: rt.syncStatus,
    health: rt.health,
    ...(rt.state.lastGoodRevision ? { revision: rt.state.lastGoodRevision } : {}),
  });
}
