import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Cluster, type Logger, WheelhouseError } from '../../core/index.js';
import { createPostgresCluster, parseStoreUrl } from '../../store/index.js';
import { cliVersion } from '../cli-version.js';

export const REPLICA_ID_FILE = 'replica-id';

export interface ReplicaOptions {
  /** This replica's id; default: the one kept in `<dataDir>/replica-id`, made on first start. */
  id?: string;
  /** Lease time (the failover time), ms. */
  leaseMs?: number;
}

/**
 * The cluster this `up` joins: only a PostgreSQL store is shared by replicas, so SQLite gets none
 * (one replica, no leases, nothing changes).
 */
export async function joinCluster(
  storeUrl: string,
  dataDir: string,
  options: ReplicaOptions,
  address: () => string,
  log: Logger,
): Promise<Cluster | undefined> {
  const target = parseStoreUrl(storeUrl);
  if (target.kind !== 'postgres') return undefined;
  const id = options.id ?? (await replicaId(dataDir));
  return createPostgresCluster({
    connectionString: target.connectionString,
    self: { id, address, version: cliVersion() },
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    log,
  });
}

/** The id kept in the data dir, so a restarted replica is the same replica. */
async function replicaId(dataDir: string): Promise<string> {
  const file = join(dataDir, REPLICA_ID_FILE);
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (kept) return kept;
  const id = `${hostname()}-${randomBytes(3).toString('hex')}`;
  await writeFile(file, `${id}\n`, { mode: 0o600 });
  return id;
}

/** `--lease-seconds`: a whole number of seconds, at least 1. */
export function parseLeaseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new WheelhouseError(
      'BAD_REQUEST',
      `--lease-seconds must be a number of seconds of at least 1 (the failover time; default 15), got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(seconds * 1000);
}
