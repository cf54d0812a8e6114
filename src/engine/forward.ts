import {
  type Cluster,
  type Store,
  type SyncHandle,
  type SyncRecord,
  WheelhouseError,
} from '../core/index.js';
import { newId } from './ids.js';

const POLL_MS = 250;
/** How long a forwarded sync is waited for before the caller is told to look at history. */
const WAIT_MS = 30 * 60_000;

/**
 * A sync asked of a replica that does not own the app: queued for the owner through the
 * database, answered with the id the owner's record will have, and settled when that record is
 * finished (read from the shared store).
 */
export async function forwardSync(
  cluster: Cluster,
  store: Store,
  app: string,
  request: { actor: string; revision?: string; requestId?: string },
): Promise<SyncHandle> {
  const id = newId('sync');
  await cluster.forward(app, { kind: 'sync', id, ...request });
  return { operationId: id, done: finished(store, app, id, cluster.replicaId) };
}

async function finished(store: Store, app: string, id: string, replica: string): Promise<SyncRecord> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const record = await store.getSync(id);
    if (record && record.result !== 'running') return record;
    if (Date.now() > deadline) {
      throw new WheelhouseError(
        'UNAVAILABLE',
        `sync ${id} of app ${app} was forwarded by replica ${replica} to the replica that owns the app, which has not finished it after ${WAIT_MS / 60_000} minutes; see \`wheelhouse history ${app}\` and \`wheelhouse status --replicas\``,
        { details: { app, sync: id } },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
