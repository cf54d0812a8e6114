import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The few places where SQLite and PostgreSQL need different words. Every query is written once;
 * these hooks only add locking and the auto-increment column type.
 */
export interface StoreDialect {
  name: DialectName;
  /** Where the database lives, safe to print (never a password). */
  location: string;
  /**
   * Whether `select ... for update` exists. PostgreSQL locks the row; SQLite has no row locks but
   * every transaction there starts with `begin immediate`, which already holds the write lock.
   */
  rowLocks: boolean;
  /** Serializes audit appends across connections and processes. Call inside a transaction. */
  lockAuditChain(trx: Kysely<Database>): Promise<void>;
  /** Serializes schema migrations between processes starting at once. Call inside a transaction. */
  lockMigrations(trx: Kysely<Database>): Promise<void>;
  /** An integer primary key the database numbers itself (insertion order). */
  autoIncrement(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
}

export function sqliteDialect(location: string): StoreDialect {
  return {
    name: 'sqlite',
    location,
    rowLocks: false,
    // `begin immediate` (see sqlite-driver.ts) took the single write lock already.
    lockAuditChain: async () => {},
    lockMigrations: async () => {},
    autoIncrement: (column) => column.primaryKey().autoIncrement(),
  };
}

/** Arbitrary but fixed key for `pg_advisory_xact_lock`, shared by every Wheelhouse replica. */
export const MIGRATION_LOCK_KEY = 0x5748_4d47; // "WHMG"

export function postgresDialect(location: string): StoreDialect {
  return {
    name: 'postgres',
    location,
    rowLocks: true,
    // Exclusive mode blocks other writers of the table (and so a forked chain) but not readers.
    lockAuditChain: async (trx) => {
      await sql`lock table audit in exclusive mode`.execute(trx);
    },
    lockMigrations: async (trx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(trx);
    },
    autoIncrement: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
  };
}
