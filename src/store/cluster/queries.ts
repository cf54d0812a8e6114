import type pg from 'pg';
import type { ForwardedRequest, LeaseInfo, ReplicaInfo } from '../../core/index.js';

/** Every time is the database's: replicas' clocks may disagree, the database's is the one that counts. */

export interface Announcement {
  id: string;
  address: string;
  version: string;
  startedAt: string;
}

/** This replica's heartbeat; then replicas silent for longer than `expireMs` are forgotten. */
export async function heartbeat(pool: pg.Pool, self: Announcement, expireMs: number): Promise<void> {
  await pool.query(
    `insert into wheelhouse_replicas (id, address, version, started_at, heartbeat_at)
     values ($1, $2, $3, $4, now())
     on conflict (id) do update set address = excluded.address, version = excluded.version,
       started_at = excluded.started_at, heartbeat_at = now()`,
    [self.id, self.address, self.version, self.startedAt],
  );
  await pool.query(
    `delete from wheelhouse_replicas where heartbeat_at < now() - $1 * interval '1 millisecond'`,
    [expireMs],
  );
}

export async function listReplicas(pool: pg.Pool, leaseMs: number): Promise<ReplicaInfo[]> {
  const { rows } = await pool.query<{
    id: string;
    address: string;
    version: string;
    started_at: Date;
    heartbeat_at: Date;
    live: boolean;
    apps: string;
  }>(
    `select r.*, r.heartbeat_at > now() - $1 * interval '1 millisecond' as live,
       (select count(*) from wheelhouse_leases l where l.owner = r.id and l.expires_at > now()) as apps
     from wheelhouse_replicas r order by r.id`,
    [leaseMs],
  );
  return rows.map((r) => ({
    id: r.id,
    address: r.address,
    version: r.version,
    startedAt: r.started_at.toISOString(),
    heartbeatAt: r.heartbeat_at.toISOString(),
    live: r.live,
    apps: Number(r.apps),
  }));
}

/**
 * Takes or renews the leases of these apps for `owner`, in one statement: a lease is taken when it
 * is free (expired) or already ours. Its token grows by one whenever the owner changes, and stays
 * when the owner renews. Returns the apps now held, with their tokens.
 */
export async function claimLeases(
  pool: pg.Pool,
  owner: string,
  apps: readonly string[],
  leaseMs: number,
): Promise<Map<string, number>> {
  if (apps.length === 0) return new Map();
  const { rows } = await pool.query<{ app: string; token: string }>(
    `insert into wheelhouse_leases (app, owner, token, expires_at)
     select a, $2, 1, now() + $3 * interval '1 millisecond' from unnest($1::text[]) as a
     on conflict (app) do update set
       token = case when wheelhouse_leases.owner = excluded.owner then wheelhouse_leases.token
                    else wheelhouse_leases.token + 1 end,
       owner = excluded.owner,
       expires_at = excluded.expires_at
     where wheelhouse_leases.owner = excluded.owner or wheelhouse_leases.expires_at <= now()
     returning app, token`,
    [apps, owner, leaseMs],
  );
  return new Map(rows.map((r) => [r.app, Number(r.token)]));
}

/** Hands leases back at once (the row and its token stay, so the next holder's token is higher). */
export async function releaseLeases(pool: pg.Pool, owner: string, apps: readonly string[]): Promise<void> {
  if (apps.length === 0) return;
  await pool.query(
    `update wheelhouse_leases set expires_at = now() where owner = $1 and app = any($2::text[])`,
    [owner, apps],
  );
}

/** The app's lease as the database has it now, and whether it is still in force. */
export async function readLease(
  pool: pg.Pool,
  app: string,
): Promise<(LeaseInfo & { valid: boolean }) | undefined> {
  const { rows } = await pool.query<{
    app: string;
    owner: string;
    token: string;
    expires_at: Date;
    valid: boolean;
  }>(
    'select app, owner, token, expires_at, expires_at > now() as valid from wheelhouse_leases where app = $1',
    [app],
  );
  const row = rows[0];
  return row ? { ...leaseOf(row), valid: row.valid } : undefined;
}

export async function listLeases(pool: pg.Pool): Promise<LeaseInfo[]> {
  const { rows } = await pool.query<{ app: string; owner: string; token: string; expires_at: Date }>(
    'select app, owner, token, expires_at from wheelhouse_leases where expires_at > now() order by app',
  );
  return rows.map(leaseOf);
}

export async function leaveCluster(pool: pg.Pool, id: string): Promise<void> {
  await pool.query('update wheelhouse_leases set expires_at = now() where owner = $1', [id]);
  await pool.query('delete from wheelhouse_replicas where id = $1', [id]);
}

function leaseOf(row: { app: string; owner: string; token: string; expires_at: Date }): LeaseInfo {
  return {
    app: row.app,
    owner: row.owner,
    token: Number(row.token),
    expiresAt: row.expires_at.toISOString(),
  };
}

export const REQUESTS_CHANNEL = 'wheelhouse_requests';

/** Queues a request for the app's owner and wakes the replicas listening. */
export async function queueRequest(pool: pg.Pool, app: string, request: ForwardedRequest): Promise<void> {
  await pool.query('insert into wheelhouse_requests (app, request) values ($1, $2)', [
    app,
    JSON.stringify(request),
  ]);
  await pool.query('select pg_notify($1, $2)', [REQUESTS_CHANNEL, app]);
}

/** Takes (deletes and returns, oldest first) the queued requests for these apps. */
export async function takeRequests(
  pool: pg.Pool,
  apps: readonly string[],
): Promise<{ app: string; request: ForwardedRequest }[]> {
  if (apps.length === 0) return [];
  const { rows } = await pool.query<{ pos: string; app: string; request: string }>(
    'delete from wheelhouse_requests where app = any($1::text[]) returning pos, app, request',
    [apps],
  );
  return rows
    .sort((a, b) => Number(a.pos) - Number(b.pos))
    .map((r) => ({ app: r.app, request: JSON.parse(r.request) as ForwardedRequest }));
}
