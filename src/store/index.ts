// Durable storage: the Store port on SQLite (embedded default) and PostgreSQL, one set of queries.
export { auditHash, GENESIS_HASH } from './audit-hash.js';
export { createPostgresCluster, DEFAULT_LEASE_MS, type PostgresClusterOptions } from './cluster/index.js';
export type { StoreOptions } from './context.js';
export { defaultStoreUrl, openStore, parseStoreUrl, type StoreTarget } from './open-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './postgres.js';
export { probeStore, type StoreProbe } from './probe.js';
export { createSqliteStore, SQLITE_FILE_NAME, type SqliteStoreOptions } from './sqlite.js';
