import type { WheelhouseEvent } from '../core/index.js';
import type { EngineState } from './engine-state.js';
import { owns } from './owns.js';
import type { AppRuntime } from './runtime.js';

/**
 * With replicas, an app is observed and synced by the replica holding its lease only. The others
 * keep their view of it (status, health, revision, last sync, the operation in flight) from the
 * events that replica relays (docs/high-availability.md), so the API and the dashboard answer the
 * same on every replica. Taking the lease later reads the app's state from the store again.
 */
export function mirrorOtherReplicas(st: EngineState): () => void {
  return st.ctx.events.subscribe((event) => {
    if (event.replica === undefined || !('app' in event)) return;
    const rt = st.runtimes.get(event.app);
    if (!rt || owns(st.ctx, event.app)) return;
    mirror(rt, event);
  });
}

function mirror(rt: AppRuntime, event: WheelhouseEvent): void {
  switch (event.type) {
    case 'app.updated':
      rt.syncStatus = event.syncStatus;
      rt.health = event.health;
      if (event.revision) rt.state.lastGoodRevision = event.revision;
      break;
    case 'health.changed':
      rt.health = event.to;
      break;
    case 'sync.started':
      if (!event.dryRun)
        rt.operation = { syncId: event.syncId, startedAt: event.at, step: 'started', message: '' };
      break;
    case 'sync.progress':
      if (rt.operation?.syncId === event.syncId)
        rt.operation = { ...rt.operation, step: event.step, message: event.message };
      break;
    case 'sync.finished':
      if (event.record.dryRun) break;
      rt.lastSync = event.record;
      if (rt.operation?.syncId === event.syncId) delete rt.operation;
      if (event.health) rt.health = event.health;
      if (event.result === 'succeeded') rt.state.lastGoodRevision = event.revision;
      break;
    default:
      break;
  }
}
