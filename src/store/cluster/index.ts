// Several replicas on one PostgreSQL database: the replica registry and app leases with fencing tokens.
export { createPostgresCluster, DEFAULT_LEASE_MS, type PostgresClusterOptions } from './postgres-cluster.js';
export { desiredOwners, rendezvousOwner } from './rendezvous.js';
