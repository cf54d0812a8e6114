import type pg from 'pg';

import { MIGRATION_LOCK_KEY } from '../dialect.js';

/**
 * The tables replicas share. Store migration 4 ("replica tables") creates them on PostgreSQL, so
 * an upgrade creates them in order and records it in `wheelhouse_migrations`; SQLite never has
 * them. Every statement is `if not exists`: a database whose tables were created before the
 * migration existed (Wheelhouse before migration 4) takes the migration without a change.
 */
export const CLUSTER_TABLES: readonly string[] = [
  `create table if not exists wheelhouse_replicas (
      id text primary key,
      address text not null,
      version text not null,
      started_at timestamptz not null,
      heartbeat_at timestamptz not null)`,
  // A lease row is never deleted: its token must only grow, or an old token could match again.
  `create table if not exists wheelhouse_leases (
      app text primary key,
      owner text not null,
      token bigint not null,
      expires_at timestamptz not null)`,
  // Requests for apps another replica owns, until the owner takes them (then deleted).
  `create table if not exists wheelhouse_requests (
      pos bigserial primary key,
      app text not null,
      request text not null,
      created_at timestamptz not null default now())`,
];

/**
 * Creates the replica tables when missing, for a cluster started on a database the store has not
 * migrated yet (the store's migration 4 creates the same tables with the same statements).
 */
export async function ensureClusterSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // The store's migration lock: replicas starting together, one migrating the store while
    // another starts its cluster, create these tables one at a time (never two `create` at once).
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    for (const statement of CLUSTER_TABLES) await client.query(statement);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
