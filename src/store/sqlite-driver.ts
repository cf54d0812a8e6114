import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery as Compiled,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { backoffDelay } from '../util/index.js';

/**
 * kysely's SQLite dialect with two changes that make it safe when another connection (another
 * process, or a second store in this one) writes the same file:
 * - transactions start with `begin immediate`, so a transaction takes the write lock before it
 *   reads: read-then-write (the audit head, an approval's status) cannot interleave with a writer;
 * - a rollback after SQLite already rolled back (disk full) keeps the real error instead of
 *   "cannot rollback - no transaction is active";
 * - a statement refused with SQLITE_BUSY outside a transaction (or the `begin immediate` itself)
 *   is retried asynchronously until `busyTimeoutMs` passes, so waiting never blocks the event loop
 *   (better-sqlite3's own busy timeout sleeps synchronously and is therefore kept short).
 */
export class SqliteStoreDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #busyTimeoutMs: number;

  readonly #sqlite: BetterSqlite3.Database;

  constructor(sqlite: BetterSqlite3.Database, busyTimeoutMs: number) {
    const config: SqliteDialectConfig = { database: sqlite };
    super(config);
    this.#config = config;
    this.#sqlite = sqlite;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#sqlite, this.#busyTimeoutMs);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #busyTimeoutMs: number;
  readonly #sqlite: BetterSqlite3.Database;
  #inTransaction = false;

  constructor(config: SqliteDialectConfig, sqlite: BetterSqlite3.Database, busyTimeoutMs: number) {
    super(config);
    this.#sqlite = sqlite;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    return new BusyRetryConnection(connection, this.#busyTimeoutMs, () => this.#inTransaction);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(Compiled.raw('begin immediate'));
    this.#inTransaction = true;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(Compiled.raw('commit'));
    } finally {
      this.#inTransaction = false;
    }
  }

  /**
   * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR,
   * SQLITE_NOMEM); a second `rollback` then fails with "no transaction is active" and that error
   * would hide the real one. Roll back only what is still open.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      if (this.#sqlite.inTransaction) await connection.executeQuery(Compiled.raw('rollback'));
    } finally {
      this.#inTransaction = false;
    }
  }
}

class BusyRetryConnection implements DatabaseConnection {
  readonly #inner: DatabaseConnection;
  readonly #busyTimeoutMs: number;
  readonly #inTransaction: () => boolean;

  constructor(inner: DatabaseConnection, busyTimeoutMs: number, inTransaction: () => boolean) {
    this.#inner = inner;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#inTransaction = inTransaction;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#inner.executeQuery<R>(query);
      } catch (err) {
        // Inside a transaction we hold the write lock; a busy error there is not ours to retry.
        if (!isBusy(err) || this.#inTransaction() || Date.now() >= deadline) throw err;
        await sleep(backoffDelay(attempt + 1, { baseMs: 1, maxMs: 50, jitter: 0 }) + Math.random() * 5);
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.#inner.streamQuery<R>(query, chunkSize);
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
