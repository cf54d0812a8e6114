import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Logger, type Store, silentLogger } from '../core/index.js';
import type { StoreOptions } from './context.js';
import { postgresDialect, type StoreDialect } from './dialect.js';
import { createKyselyStore } from './kysely-store.js';
import { printableUrl } from './location.js';
import type { Database } from './schema.js';

export interface PostgresStoreOptions extends StoreOptions {
  /** `postgres://user:password@host:port/database`; the password is never printed. */
  connectionString: string;
  /** Connections in the pool; default 10. */
  poolSize?: number;
}

/**
 * The PostgreSQL store, for teams that outgrow one machine: the same schema and queries as the
 * SQLite store. Migrations run before this resolves (under an advisory lock, so replicas starting
 * together do not race).
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { db, dialect } = openPostgresDatabase(options);
  return createKyselyStore(db, dialect, options);
}

/** The pooled database without the store on top (migrations not run yet). */
export function openPostgresDatabase(
  options: Pick<PostgresStoreOptions, 'connectionString' | 'poolSize'> & { log?: Logger },
): { db: Kysely<Database>; dialect: StoreDialect } {
  const location = printableUrl(options.connectionString);
  const log = options.log ?? silentLogger;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 30_000,
  });
  // An idle connection that drops must not crash the process; the next query reconnects.
  pool.on('error', (err) => log.warn({ store: location, err: err.message }, 'PostgreSQL connection lost'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: postgresDialect(location) };
}
