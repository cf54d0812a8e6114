import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATION_LOCK_KEY } from '../../../src/store/dialect.js';
import { createPostgresCluster, openStore } from '../../../src/store/index.js';
import { migrations } from '../../../src/store/migrations.js';
import { postgresMissing, usePostgresCluster } from '../../support/postgres.js';
import { waitFor } from '../../support/wait-for.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the replica table migration suite: ${missing}`);

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

const TABLES =
  "select table_name from information_schema.tables where table_schema = current_schema() and table_name in ('wheelhouse_replicas', 'wheelhouse_leases', 'wheelhouse_requests') order by table_name";

describe.skipIf(missing !== undefined)('replica tables as a versioned store migration', () => {
  const postgres = usePostgresCluster();

  it('a fresh PostgreSQL store gets the replica tables from migration 5, recorded in order', async () => {
    const url = await postgres.createDatabase('replica_tables_fresh');
    const store = await openStore(url);
    await store.close();
    expect((await query(url, TABLES)).map((r) => r.table_name)).toEqual([
      'wheelhouse_leases',
      'wheelhouse_replicas',
      'wheelhouse_requests',
    ]);
    const rows = await query(url, 'select version, name from wheelhouse_migrations order by version');
    expect(rows.map((r) => [Number(r.version), r.name])).toEqual(migrations.map((m) => [m.version, m.name]));
    expect(rows.find((r) => Number(r.version) === 5)?.name).toBe('replica tables');
  });

  it('a cluster creating the replica tables waits while a store holds the migration lock', async () => {
    const url = await postgres.createDatabase('replica_tables_lock');
    // Stands in for a replica in the middle of migration 5: two `create table if not exists` of
    // one table at once can fail in PostgreSQL, so the cluster must take the same lock.
    const migrating = new pg.Client({ connectionString: url });
    await migrating.connect();
    try {
      await migrating.query('begin');
      await migrating.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const starting = createPostgresCluster({
        connectionString: url,
        self: { id: 'late', address: () => 'http://127.0.0.1:7180', version: '9.9.9' },
        leaseMs: 900,
      });
      await waitFor(
        'the cluster to wait for the migration lock',
        async () =>
          (await query(url, "select 1 from pg_locks where locktype = 'advisory' and not granted")).length > 0,
        { timeoutMs: 10_000 },
      );
      expect(await query(url, TABLES)).toEqual([]);
      await migrating.query('commit');
      const cluster = await starting;
      await cluster.stop();
      expect(await query(url, TABLES)).toHaveLength(3);
    } finally {
      await migrating.end();
    }
  });

  it('upgrading a database whose replica tables were made ad hoc keeps their rows and records the step', async () => {
    const url = await postgres.createDatabase('replica_tables_upgrade');
    // Wheelhouse before migration 5: the cluster created its tables itself, beside schema 4.
    const store = await openStore(url);
    await store.close();
    await query(url, 'delete from wheelhouse_migrations where version = 5');
    const cluster = await createPostgresCluster({
      connectionString: url,
      self: { id: 'old', address: () => 'http://127.0.0.1:7170', version: '0.0.1' },
      leaseMs: 900,
    });
    await cluster.start({
      apps: () => [{ name: 'web' }],
      busy: () => false,
      changed: () => {},
      forwarded: () => {},
    });
    await cluster.stop();
    const leasesBefore = await query(url, 'select app, owner, token from wheelhouse_leases');
    expect(leasesBefore.length).toBeGreaterThan(0);

    const upgraded = await openStore(url);
    await upgraded.close();
    const versions = await query(url, 'select version from wheelhouse_migrations order by version');
    expect(versions.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));
    expect(await query(url, 'select app, owner, token from wheelhouse_leases')).toEqual(leasesBefore);
  });
});
