import type { ResourceChange, SyncStatus } from '../core/index.js';

/** `Synced` when every resource is unchanged (also for none), `OutOfSync` otherwise. */
export function syncStatusOf(changes: readonly ResourceChange[]): SyncStatus {
  return changes.every((change) => change.action === 'unchanged') ? 'Synced' : 'OutOfSync';
}
