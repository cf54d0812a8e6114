import type { Kysely } from 'kysely';
import { type Logger, WheelhouseError } from '../core/index.js';
import type { StoreDialect } from './dialect.js';
import type { Migration } from './migrations.js';
import type { Database } from './schema.js';

export interface MigrationReport {
  /** Versions applied by this call (empty when the schema was current). */
  applied: number[];
  /** Schema version after the call. */
  version: number;
}

/**
 * Brings the schema up to the newest migration this code knows. Each pending migration runs once,
 * in its own transaction together with its row in `wheelhouse_migrations`, under a lock so two
 * processes starting at once do not both run it. A database migrated by a newer Wheelhouse (or by
 * a different line of migrations) is refused before anything changes.
 */
export async function migrate(
  db: Kysely<Database>,
  dialect: StoreDialect,
  list: readonly Migration[],
  log: Logger,
): Promise<MigrationReport> {
  checkList(list);
  const known = list.at(-1)?.version ?? 0;

  await db.transaction().execute(async (trx) => {
    await dialect.lockMigrations(trx);
    await trx.schema
      .createTable('wheelhouse_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
  });

  const applied: number[] = [];
  // Checked once up front, so a newer database is refused before any migration runs.
  let version = checkApplied(await readApplied(db), list, known, dialect.location);
  for (const migration of list) {
    if (migration.version <= version) continue;
    const ran = await db.transaction().execute(async (trx) => {
      await dialect.lockMigrations(trx);
      // Another process may have run it while we waited for the lock.
      const current = checkApplied(await readApplied(trx), list, known, dialect.location);
      if (current >= migration.version) return false;
      await migration.up(trx, dialect);
      await trx
        .insertInto('wheelhouse_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      return true;
    });
    if (ran) {
      applied.push(migration.version);
      log.info({ version: migration.version, migration: migration.name }, 'store schema migrated');
    }
    version = migration.version;
  }
  return { applied, version };
}

async function readApplied(db: Kysely<Database>): Promise<{ version: number; name: string }[]> {
  const rows = await db
    .selectFrom('wheelhouse_migrations')
    .select(['version', 'name'])
    .orderBy('version')
    .execute();
  return rows.map((row) => ({ version: Number(row.version), name: row.name }));
}

/** Returns the highest applied version after making sure it is one this code knows. */
function checkApplied(
  rows: { version: number; name: string }[],
  list: readonly Migration[],
  known: number,
  location: string,
): number {
  let highest = 0;
  for (const row of rows) {
    if (row.version > known) {
      throw new WheelhouseError(
        'STORE_FAILED',
        `the store at ${location} has schema version ${rows.at(-1)?.version ?? row.version}, newer than ` +
          `this Wheelhouse knows (${known}): a newer Wheelhouse has used it. Run that newer version, or ` +
          'restore a backup taken before the upgrade (docs/storage.md)',
        { details: { store: location, schemaVersion: row.version, knownVersion: known } },
      );
    }
    const mine = list.find((m) => m.version === row.version);
    if (mine && mine.name !== row.name) {
      throw new WheelhouseError(
        'STORE_FAILED',
        `the store at ${location} applied migration ${row.version} as "${row.name}", but this Wheelhouse ` +
          `calls it "${mine.name}": the database belongs to a different build. Point Wheelhouse at its own ` +
          'data directory or database',
        { details: { store: location, schemaVersion: row.version } },
      );
    }
    highest = Math.max(highest, row.version);
  }
  return highest;
}

function checkList(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new WheelhouseError(
        'INTERNAL',
        `store migration "${migration.name}" has version ${migration.version}, expected ${index + 1}: ` +
          'migrations must count up from 1 without gaps',
      );
    }
  });
}
