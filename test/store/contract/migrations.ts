import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { migrate } from '../../../src/store/migrate.js';
import { type Migration, migrations } from '../../../src/store/migrations.js';
import { openDatabase } from '../../../src/store/open-store.js';
import { rawSql, rejection, type StoreHarness, useStores } from './harness.js';

export function migrationContract(h: StoreHarness): void {
  describe('migrations', () => {
    const open = useStores();

    it('run once at start and are recorded by version; reopening applies nothing twice', async () => {
      const url = await h.freshUrl('migrate');
      const first = await open(url);
      await first.close();
      const again = await open(url);
      await again.listUsers();
      const rows = await rawSql(url, 'select version, name from wheelhouse_migrations order by version');
      expect(rows.map((r) => [Number(r.version), r.name])).toEqual(
        migrations.map((m) => [m.version, m.name]),
      );
    });

    it('two stores opening a fresh database at once migrate it exactly once', async () => {
      const url = await h.freshUrl('migrate_race');
      await Promise.all([open(url), open(url), open(url)]);
      const rows = await rawSql(url, 'select version from wheelhouse_migrations');
      expect(rows).toHaveLength(migrations.length);
    });

    it('refuses a database whose schema is newer than this code knows, before changing anything', async () => {
      const url = await h.freshUrl('migrate_newer');
      await (await open(url)).close();
      const newer = migrations.length + 1;
      await rawSql(url, 'insert into wheelhouse_migrations (version, name, applied_at) values (?, ?, ?)', [
        newer,
        'from the future',
        new Date().toISOString(),
      ]);
      const err = await rejection(open(url));
      expect(err.code).toBe('STORE_FAILED');
      expect(err.message).toContain(`schema version ${newer}`);
      expect(err.message).toContain(`(${migrations.length})`);
      expect(err.message).toMatch(/newer/);
    });

    it('refuses a database migrated by a different line of migrations', async () => {
      const url = await h.freshUrl('migrate_other');
      await (await open(url)).close();
      await rawSql(url, 'update wheelhouse_migrations set name = ? where version = 1', ['someone else']);
      const err = await rejection(open(url));
      expect(err.code).toBe('STORE_FAILED');
      expect(err.message).toContain('someone else');
    });

    it('runs each migration in a transaction: a failing one leaves no trace and is retried next start', async () => {
      const url = await h.freshUrl('migrate_tx');
      const { db, dialect } = openDatabase(url);
      const halfTable = (fail: boolean): Migration[] => [
        {
          version: 1,
          name: 'half',
          async up(trx) {
            await trx.schema.createTable('half').addColumn('x', 'integer').execute();
            if (fail) throw new Error('boom in the middle');
          },
        },
      ];
      try {
        const err = await rejection(migrate(db, dialect, halfTable(true), silentLogger));
        expect(err.message).toContain('boom in the middle');
        expect(await db.selectFrom('wheelhouse_migrations').selectAll().execute()).toEqual([]);
        // The table created before the failure was rolled back with it.
        await expect(sql`select x from half`.execute(db)).rejects.toThrow();

        expect(await migrate(db, dialect, halfTable(false), silentLogger)).toEqual({
          applied: [1],
          version: 1,
        });
        expect(await migrate(db, dialect, halfTable(false), silentLogger)).toEqual({
          applied: [],
          version: 1,
        });
        expect((await sql`select x from half`.execute(db)).rows).toEqual([]);
      } finally {
        await db.destroy();
      }
    });
  });
}
