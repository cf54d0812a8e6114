import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { errorMessage, type Store, WheelhouseError } from '../core/index.js';
import type { StoreOptions } from './context.js';
import { type StoreDialect, sqliteDialect } from './dialect.js';
import { storeFailure } from './errors.js';
import { createKyselyStore } from './kysely-store.js';
import type { Database } from './schema.js';
import { SqliteStoreDialect } from './sqlite-driver.js';

export interface SqliteStoreOptions extends StoreOptions {
  /** The database file (created with its directory), or `:memory:`. */
  file: string;
  /** How long a write waits for another connection's lock before failing; default 15 s. */
  busyTimeoutMs?: number;
}

/** The file name inside the data directory. */
export const SQLITE_FILE_NAME = 'wheelhouse.db';

/**
 * The embedded store: one SQLite file in WAL mode (readers never wait for the writer), with
 * `synchronous=FULL` (a commit is on disk before it is reported), foreign keys on and a busy
 * timeout. Migrations run before this resolves.
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const { db, dialect } = openSqliteDatabase(options);
  return createKyselyStore(db, dialect, options);
}

/**
 * `PRAGMA quick_check` before anything runs: a damaged page (disk fault, a copy taken while
 * writing) is refused at start-up with the file named, instead of failing every later command.
 */
function checkIntegrity(sqlite: BetterSqlite3.Database, file: string): void {
  let problems: string[];
  try {
    const rows = sqlite.pragma('quick_check(5)', { simple: false }) as Record<string, unknown>[];
    problems = rows
      .map((row) => String(row.quick_check ?? JSON.stringify(row)))
      .filter((line) => line !== 'ok');
  } catch (err) {
    problems = [errorMessage(err)];
  }
  if (problems.length === 0) return;
  sqlite.close();
  throw new WheelhouseError(
    'STORE_FAILED',
    `the SQLite store ${file} is damaged (PRAGMA quick_check: ${problems.join('; ')}); Wheelhouse will ` +
      'not start on it. Stop every Wheelhouse using it, move the file (and its -wal and -shm files) ' +
      'aside, and restore the latest backup in its place (docs/storage.md, "Backup and restore"); ' +
      'then `wheelhouse audit --verify` checks the restored chain',
    { details: { store: `sqlite:${file}`, reason: 'corrupt', problems } },
  );
}

/** The configured database without the store on top (migrations not run yet). */
export function openSqliteDatabase(
  options: Pick<SqliteStoreOptions, 'file' | 'busyTimeoutMs'> & {
    /** Run `PRAGMA quick_check` first (default true; a look before opening skips it). */
    quickCheck?: boolean;
  },
): {
  db: Kysely<Database>;
  dialect: StoreDialect;
} {
  const memory = options.file === ':memory:';
  const file = memory ? options.file : resolve(options.file);
  const location = memory ? 'sqlite::memory:' : `sqlite:${file}`;
  let sqlite: BetterSqlite3.Database;
  try {
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    sqlite = new BetterSqlite3(file);
  } catch (err) {
    throw storeFailure(
      location,
      'open the SQLite database file (check the data directory exists and is writable)',
      err,
    );
  }
  try {
    // better-sqlite3 sleeps synchronously while busy; keep that short, the driver retries async.
    sqlite.pragma('busy_timeout = 50');
    if (!memory) {
      const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
    }
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    sqlite.close();
    throw storeFailure(location, 'configure the SQLite database (WAL mode, busy timeout, foreign keys)', err);
  }
  if (!memory && options.quickCheck !== false) checkIntegrity(sqlite, file);
  const db = new Kysely<Database>({
    dialect: new SqliteStoreDialect(sqlite, options.busyTimeoutMs ?? 15_000),
  });
  return { db, dialect: sqliteDialect(location) };
}
