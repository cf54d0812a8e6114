import { startUp, type UpServer } from './wheelhouse-up.js';

export { fileApp, leaseHolders, managedFile } from './replica-state.js';

/** One `wheelhouse up` replica on a shared PostgreSQL store: its own data dir and port. */
export interface Replica extends UpServer {
  id: string;
}

/** Call `ensureBuilt()` first. Resolves once the replica's API listens. */
export async function startReplica(
  tmp: (label?: string) => Promise<string>,
  repo: string,
  store: string,
  id: string,
  leaseSeconds: number,
  env: Record<string, string> = {},
): Promise<Replica> {
  const up = await startUp(
    tmp,
    repo,
    ['--log-format', 'json', '--store', store, '--replica-id', id, '--lease-seconds', String(leaseSeconds)],
    env,
  );
  return { ...up, id };
}
