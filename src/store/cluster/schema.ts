import type pg from 'pg';

/** A key for `pg_advisory_xact_lock`, so replicas starting together create the tables once. */
const SCHEMA_LOCK = 7_302_017;

/**
 * The tables replicas share, created when missing. They live beside the store's versioned
 * schema rather than in it: only PostgreSQL installations have them, SQLite never does.
 */
export async function ensureClusterSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(`create table if not exists wheelhouse_replicas (
      id text primary key,
      address text not null,
      version text not null,
      started_at timestamptz not null,
      heartbeat_at timestamptz not null)`);
    // A lease row is never deleted: its token must only grow, or an old token could match again.
    await client.query(`create table if not exists wheelhouse_leases (
      app text primary key,
      owner text not null,
      token bigint not null,
      expires_at timestamptz not null)`);
    // Requests for apps another replica owns, until the owner takes them (then deleted).
    await client.query(`create table if not exists wheelhouse_requests (
      pos bigserial primary key,
      app text not null,
      request text not null,
      created_at timestamptz not null default now())`);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
