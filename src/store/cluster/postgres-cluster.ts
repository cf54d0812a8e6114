import pg from 'pg';
import {
  type Cluster,
  type ClusterMembership,
  errorMessage,
  type Logger,
  silentLogger,
  WheelhouseError,
} from '../../core/index.js';
import { printableUrl } from '../location.js';
import { createEventRelay, EVENTS_CHANNEL } from './event-relay.js';
import {
  type Announcement,
  claimLeases,
  heartbeat,
  leaveCluster,
  listLeases,
  listReplicas,
  queueRequest,
  REQUESTS_CHANNEL,
  readLease,
  releaseLeases,
  takeRequests,
} from './queries.js';
import { desiredOwners } from './rendezvous.js';
import { ensureClusterSchema } from './schema.js';

export interface PostgresClusterOptions {
  connectionString: string;
  /** This replica: id (stable per data dir), API address (asked at each heartbeat), version. */
  self: { id: string; address: () => string; version: string };
  /** Lease time = failover time; default 15 s. Heartbeats come three times per lease. */
  leaseMs?: number;
  /** A replica silent this long is removed from the list; default 10 leases. */
  expireMs?: number;
  log?: Logger;
  /** The local clock, for the lease's local deadline (tests move it); default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_LEASE_MS = 15_000;

/**
 * How long a connection attempt and a query may take. A database that stops answering without
 * closing its connections (a frozen host, a network cut) would otherwise hold a heartbeat forever:
 * no error, so the replica never said the database was away and never retried. A query slower
 * than a lease is as good as failed (the lease lapsed meanwhile); the pool drops its connection.
 */
function deadlines(heartbeatMs: number, leaseMs: number) {
  return { connectionTimeoutMillis: heartbeatMs, query_timeout: leaseMs, keepAlive: true };
}

/**
 * The cluster over PostgreSQL. Every heartbeat a replica announces itself, reads the live
 * replicas, works out which apps are its own (rendezvous hashing, or a `host` pin), claims or
 * renews their leases, and hands back those that now belong to another replica once they are
 * idle. A lease it could not renew lapses locally a little before it lapses in the database, so a
 * replica that cannot reach the database stops applying before anyone else starts.
 */
export async function createPostgresCluster(options: PostgresClusterOptions): Promise<Cluster> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const heartbeatMs = Math.max(100, Math.floor(leaseMs / 3));
  const expireMs = options.expireMs ?? leaseMs * 10;
  const now = options.now ?? Date.now;
  const location = printableUrl(options.connectionString);
  const log = (options.log ?? silentLogger).child({ component: 'cluster', replica: options.self.id });
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: 3,
    ...deadlines(heartbeatMs, leaseMs),
  });
  pool.on('error', (err) => log.warn({ store: location, err: err.message }, 'PostgreSQL connection lost'));
  try {
    await ensureClusterSchema(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    throw new WheelhouseError(
      'STORE_FAILED',
      `failed to create the replica tables in the store at ${location}: ${errorMessage(err)}; check that the database is reachable and the user may create tables`,
      { cause: err },
    );
  }
  const startedAt = new Date(now()).toISOString();
  const announce = (): Announcement => ({
    id: options.self.id,
    address: options.self.address(),
    version: options.self.version,
    startedAt,
  });
  const self = { id: options.self.id };
  /** Leases held: token, and the local time after which this replica no longer counts on it. */
  const held = new Map<string, { token: number; until: number }>();
  let membership: ClusterMembership | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let unreachableSince: number | undefined;
  let stopped = false;
  /** The connection that LISTENs for forwarded requests and relayed events; made again after it drops. */
  let listener: pg.Client | undefined;
  const relay = createEventRelay({ replicaId: options.self.id, pool, log });

  /** Hands the requests queued for apps this replica holds to the engine, oldest first. */
  const deliver = async (): Promise<void> => {
    const mine = [...held.keys()].filter((app) => lease(app) !== undefined);
    for (const { app, request } of await takeRequests(pool, mine)) membership?.forwarded(app, request);
  };

  const listen = async (): Promise<void> => {
    if (listener || stopped) return;
    const client = new pg.Client({
      connectionString: options.connectionString,
      ...deadlines(heartbeatMs, leaseMs),
    });
    listener = client;
    client.on('error', (err) => {
      log.warn(
        { err: err.message },
        'the connection listening for forwarded requests dropped; it is made again',
      );
      if (listener === client) listener = undefined;
      void client.end().catch(() => {});
    });
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL) return relay.received(message.payload ?? '');
      void deliver().catch((err: unknown) =>
        log.warn({ err: errorMessage(err) }, 'could not take forwarded requests'),
      );
    });
    try {
      await client.connect();
      await client.query(`listen ${REQUESTS_CHANNEL}`);
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch (err) {
      if (listener === client) listener = undefined;
      await client.end().catch(() => {});
      throw err;
    }
  };

  const lease = (app: string): number | undefined => {
    const entry = held.get(app);
    return entry && now() < entry.until ? entry.token : undefined;
  };

  /** Drops leases whose local deadline passed, telling the engine. */
  const lapse = () => {
    for (const [app, entry] of held) {
      if (now() < entry.until) continue;
      held.delete(app);
      membership?.changed(app, false, entry.token);
    }
  };

  const tick = async (): Promise<void> => {
    if (!membership || stopped) return;
    const started = now();
    try {
      await heartbeat(pool, announce(), expireMs);
      const live = (await listReplicas(pool, leaseMs)).filter((r) => r.live).map((r) => r.id);
      const apps = membership.apps();
      const owners = desiredOwners(apps, live.includes(self.id) ? live : [...live, self.id]);
      const mine = apps.filter((a) => owners.get(a.name) === self.id).map((a) => a.name);
      // Held apps that now belong elsewhere: kept while busy, handed back once idle.
      const handBack = [...held.keys()].filter(
        (app) => owners.get(app) !== self.id && !membership?.busy(app),
      );
      const keep = [...held.keys()].filter((app) => owners.get(app) !== self.id && !handBack.includes(app));
      await releaseLeases(pool, self.id, handBack);
      for (const app of handBack) {
        const entry = held.get(app);
        held.delete(app);
        log.info(
          { app, owner: owners.get(app) },
          `handed app ${app} to replica ${owners.get(app) ?? '(none)'}`,
        );
        membership.changed(app, false, entry?.token ?? 0);
      }
      const claimed = await claimLeases(pool, self.id, [...mine, ...keep], leaseMs);
      // A deadline a third of a lease early: a paused or cut-off replica stops before others start.
      const until = started + leaseMs - heartbeatMs;
      for (const [app, token] of claimed) {
        const before = held.get(app);
        held.set(app, { token, until });
        if (before?.token === token) continue;
        if (before) membership.changed(app, false, before.token);
        log.info({ app, token }, `took the lease of app ${app} (fencing token ${token})`);
        membership.changed(app, true, token);
      }
      for (const [app, entry] of held) {
        if (claimed.has(app)) continue;
        held.delete(app);
        log.warn({ app }, `lost the lease of app ${app} to another replica; it applies nothing more to it`);
        membership.changed(app, false, entry.token);
      }
      await listen();
      await deliver();
      if (unreachableSince !== undefined) {
        log.info({ store: location }, `the database at ${location} is reachable again; leases renewed`);
        unreachableSince = undefined;
      }
    } catch (err) {
      if (unreachableSince === undefined) {
        unreachableSince = now();
        log.error(
          { store: location, err: errorMessage(err) },
          `cannot reach the database at ${location} to renew leases: ${errorMessage(err)}; this replica applies nothing once its leases lapse (${leaseMs} ms) and retries every ${heartbeatMs} ms`,
        );
      }
      lapse();
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, heartbeatMs);
  };

  return {
    replicaId: self.id,
    leaseMs,
    async start(m) {
      membership = m;
      running = tick();
      await running;
      schedule();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
      held.clear();
      await relay.stop();
      await listener?.end().catch(() => {});
      listener = undefined;
      await leaveCluster(pool, self.id).catch((err: unknown) =>
        log.warn({ err: errorMessage(err) }, 'could not hand back the leases; they lapse on their own'),
      );
      await pool.end().catch(() => {});
    },
    lease,
    relay: (bus) => relay.attach(bus),
    async fence(app, token) {
      const current = await readLease(pool, app).catch((err: unknown) => {
        throw leaseLost(
          app,
          token,
          `the database at ${location} could not confirm the lease: ${errorMessage(err)}`,
        );
      });
      if (current?.owner === self.id && current.token === token && current.valid) return;
      held.delete(app);
      throw leaseLost(
        app,
        token,
        current && current.owner !== self.id
          ? `replica ${current.owner} holds it now (fencing token ${current.token})`
          : 'the lease lapsed',
      );
    },
    forward: (app, request) => queueRequest(pool, app, request),
    replicas: () => listReplicas(pool, leaseMs),
    leases: () => listLeases(pool),
  };

  function leaseLost(app: string, token: number, why: string): WheelhouseError {
    return new WheelhouseError(
      'LEASE_LOST',
      `replica ${self.id} no longer holds the lease of app ${app} (fencing token ${token}): ${why}; it applied nothing more, the holder of the lease converges the app`,
      { details: { app, replica: self.id, token } },
    );
  }
}
