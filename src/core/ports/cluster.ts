import type { EventBus } from '../events.js';

/** One Wheelhouse process of an installation, as it announced itself in the shared database. */
export interface ReplicaInfo {
  /** Stable across restarts of the same data dir. */
  id: string;
  /** Where its API answers (`http://10.0.0.5:7070`), or empty when it serves no HTTP. */
  address: string;
  version: string;
  startedAt: string;
  /** Its last heartbeat, by the database's clock. */
  heartbeatAt: string;
  /** False once its heartbeat is older than the lease time: its leases are up for grabs. */
  live: boolean;
  /** Apps whose lease it holds now. */
  apps: number;
}

/** Who reconciles one app: the replica holding its lease, and the lease's fencing token. */
export interface LeaseInfo {
  app: string;
  owner: string;
  /** Grows by one each time the lease changes hands; an apply carries the token it started with. */
  token: number;
  expiresAt: string;
}

/** A request for an app another replica owns, carried to it through the database. */
export type ForwardedRequest =
  | { kind: 'sync'; id: string; actor: string; revision?: string; requestId?: string }
  | { kind: 'refresh' };

/** What the engine tells the cluster about its apps, so it can share them out and hand them over. */
export interface ClusterMembership {
  /** The apps of the config in force; `host` pins one to a replica (a `process` target's `host:`). */
  apps(): readonly { name: string; host?: string }[];
  /** An operation runs or waits on the app: its lease is handed over only once it is idle. */
  busy(app: string): boolean;
  /** This replica took the app's lease (with this fencing token) or lost it. */
  changed(app: string, owned: boolean, token: number): void;
  /** Another replica forwarded a request for an app this one holds. */
  forwarded(app: string, request: ForwardedRequest): void;
}

/**
 * Several replicas on one database (PostgreSQL): who is alive, and which replica reconciles which
 * app. Single-replica stores have no cluster: the engine then owns every app without leases.
 */
export interface Cluster {
  readonly replicaId: string;
  /** How long a lease lasts without renewal (the failover time), in ms. */
  readonly leaseMs: number;
  /** Joins: announces this replica, then shares out the apps every heartbeat. */
  start(membership: ClusterMembership): Promise<void>;
  /** Leaves: hands back every lease and removes this replica's announcement. */
  stop(): Promise<void>;
  /** The fencing token this replica holds for the app now, or undefined when it does not own it. */
  lease(app: string): number | undefined;
  /**
   * The check at the apply boundary: asks the database whether the app's lease is still this
   * replica's with this token. Throws `LEASE_LOST` (naming the new holder) when it is not.
   */
  fence(app: string, token: number): Promise<void>;
  /**
   * Queues a request for an app this replica does not own; the owner picks it up at once
   * (LISTEN/NOTIFY) or at its next heartbeat, also after a handover.
   */
  forward(app: string, request: ForwardedRequest): Promise<void>;
  /**
   * Relays the events published on this bus to the other replicas, and publishes theirs on it
   * (marked with `replica`), so a live view on any replica sees every replica's events.
   */
  relay(bus: EventBus): void;
  replicas(): Promise<ReplicaInfo[]>;
  leases(): Promise<LeaseInfo[]>;
}
