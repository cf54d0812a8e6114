import type { Store, SyncRecord } from '../core/index.js';

/** Syncs read back at start to find the one LAST SYNC shows. */
const RECENT = 20;

/**
 * Whether `next` becomes the sync LAST SYNC shows. A sync that changed nothing does not hide a
 * failure: after a failed sync, a successful no-op sync replaces it only when it left the app
 * Healthy (the failure is resolved). Any sync that changed something, or failed, always does.
 * History keeps every sync either way.
 */
export function replacesLastSync(previous: SyncRecord | undefined, next: SyncRecord): boolean {
  if (next.dryRun) return false;
  if (previous?.result !== 'failed' || next.result !== 'succeeded') return true;
  if (next.changeSet.some((c) => c.action !== 'unchanged')) return true;
  return next.health?.status === 'Healthy';
}

/** The sync LAST SYNC shows after a restart: the same rule, over the recent history. */
export async function lastSyncShown(
  store: Pick<Store, 'listSyncs'>,
  app: string,
): Promise<SyncRecord | undefined> {
  const newestFirst = await store.listSyncs(app, { limit: RECENT });
  let shown: SyncRecord | undefined;
  for (const record of newestFirst.reverse()) if (replacesLastSync(shown, record)) shown = record;
  return shown;
}
