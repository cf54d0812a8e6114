import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { startUp, type UpServer } from './wheelhouse-up.js';

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
): Promise<Replica> {
  const up = await startUp(tmp, repo, [
    '--log-format',
    'json',
    '--store',
    store,
    '--replica-id',
    id,
    '--lease-seconds',
    String(leaseSeconds),
  ]);
  return { ...up, id };
}

/** The holder and fencing token of every app's lease in force, read from the database. */
export async function leaseHolders(store: string): Promise<Map<string, { owner: string; token: number }>> {
  const client = new pg.Client({ connectionString: store });
  await client.connect();
  try {
    const { rows } = await client.query<{ app: string; owner: string; token: string }>(
      'select app, owner, token from wheelhouse_leases where expires_at > now()',
    );
    return new Map(rows.map((r) => [r.app, { owner: r.owner, token: Number(r.token) }]));
  } finally {
    await client.end();
  }
}

/** The content of a File the process driver wrote under a replica's data dir, or undefined. */
export async function managedFile(data: string, path: string): Promise<string | undefined> {
  const root = join(data, 'files');
  for (const target of await readdir(root).catch(() => [])) {
    const content = await readFile(join(root, target, path), 'utf8').catch(() => undefined);
    if (content !== undefined) return content;
  }
  return undefined;
}
