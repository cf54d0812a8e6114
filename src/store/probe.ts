import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { storeFailure } from './errors.js';
import { printableUrl } from './location.js';
import { openDatabase, parseStoreUrl } from './open-store.js';

/** What a store URL points at before Wheelhouse opens it as its store. */
export interface StoreProbe {
  /** Where it is, safe to print. */
  location: string;
  /** `missing`: no database file; `empty`: no Wheelhouse schema in it; `used`: migrations applied. */
  state: 'missing' | 'empty' | 'used';
}

/**
 * Looks at the store without creating or migrating anything, so start-up can tell a store that
 * holds earlier state from one that is missing or empty (a deleted or truncated `wheelhouse.db`,
 * a PostgreSQL database recreated blank).
 */
export async function probeStore(url: string): Promise<StoreProbe> {
  const target = parseStoreUrl(url);
  if (target.kind === 'sqlite') {
    if (target.file === ':memory:') return { location: 'sqlite::memory:', state: 'missing' };
    const file = resolve(target.file);
    const location = `sqlite:${file}`;
    const size = await stat(file).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) return { location, state: 'missing' };
    if (size === 0) return { location, state: 'empty' };
  }
  // The integrity check runs once, when the store itself opens.
  const { db, dialect } = openDatabase(url, { quickCheck: false });
  try {
    const tables = await sql<{ n: number | string }>`select count(*) as n from ${sql.raw(
      dialect.name === 'sqlite'
        ? "sqlite_master where type = 'table' and name = 'wheelhouse_migrations'"
        : "information_schema.tables where table_schema = current_schema() and table_name = 'wheelhouse_migrations'",
    )}`.execute(db);
    if (Number(tables.rows[0]?.n ?? 0) === 0) return { location: dialect.location, state: 'empty' };
    const applied = await db
      .selectFrom('wheelhouse_migrations')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return { location: dialect.location, state: Number(applied?.n ?? 0) === 0 ? 'empty' : 'used' };
  } catch (err) {
    throw storeFailure(printableUrl(url), 'look at the store before opening it', err);
  } finally {
    await db.destroy().catch(() => {});
  }
}
