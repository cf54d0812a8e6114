import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

// What replicas on one PostgreSQL did, read from outside: the leases table and the Files each wrote.

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

/** A File manifest (`<name>.txt` holding `content`), the app the replica tests spread and move. */
export const fileApp = (name: string, content: string) =>
  `apiVersion: wheelhouse/v1
kind: File
metadata: { name: ${name} }
spec:
  path: ${name}.txt
  content: "${content}"
`;
