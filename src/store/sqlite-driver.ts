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
import { GroupCommit, runQuery } from './sqlite-group-commit.js';

/**
 * kysely's SQLite dialect with changes that make it safe when another connection (another
 * process, or a second store in this one) writes the same file:
 * - transactions start with `begin immediate`, so a transaction takes the write lock before it
 *   reads: read-then-write (the audit head, an approval's status) cannot interleave with a writer;
 * - a rollback after SQLite already rolled back (disk full) keeps the real error instead of
 *   "cannot rollback - no transaction is active";
 * - a statement refused with SQLITE_BUSY outside a transaction (or the `begin immediate` itself)
 *   is retried asynchronously until `busyTimeoutMs` passes, so waiting never blocks the event loop
 *   (better-sqlite3's own busy timeout sleeps synchronously and is therefore kept short);
 * - statements outside an explicit transaction are committed in groups (`GroupCommit`): one
 *   fsync per turn of the event loop instead of one per write, each write still reported only
 *   once it is on disk. A syncing engine writes a few rows per app, so at thousands of apps this
 *   is most of the store's cost. An explicit transaction waits for the group and runs alone.
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
  readonly #group: GroupCommit;
  /** Held by the connection running an explicit transaction; other statements wait for it. */
  #owner: GroupConnection | undefined;
  #released: Promise<void> = Promise.resolve();
  #release: () => void = () => {};

  constructor(config: SqliteDialectConfig, sqlite: BetterSqlite3.Database, busyTimeoutMs: number) {
    super(config);
    this.#sqlite = sqlite;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#group = new GroupCommit(sqlite);
  }

  /** No lock here: a statement waits only for an explicit transaction (`beginTransaction`). */
  override async acquireConnection(): Promise<DatabaseConnection> {
    return new GroupConnection(this);
  }

  /** The transaction's lock is given up by its commit or rollback. */
  override async releaseConnection(): Promise<void> {}

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    while (this.#owner) await this.#released;
    this.#owner = connection as GroupConnection;
    this.#released = new Promise((resolve) => {
      this.#release = resolve;
    });
    try {
      this.#group.flush(); // writes already grouped commit before the transaction starts
      await this.retryBusy(() => Promise.resolve(this.#sqlite.exec('begin immediate')));
    } catch (err) {
      this.#unlock();
      throw err;
    }
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(Compiled.raw('commit'));
    this.#unlock(); // a failed commit keeps the lock for the rollback that follows
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
      this.#unlock();
    }
  }

  /** Runs a statement: inside the caller's own transaction at once, else grouped (`GroupCommit`). */
  async execute<R>(connection: GroupConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#owner === connection) return runQuery<R>(this.#sqlite, query);
    return this.retryBusy(async () => {
      while (this.#owner) await this.#released;
      return this.#group.run<R>(query);
    });
  }

  /**
   * Retries a statement refused with SQLITE_BUSY (another connection holds the write lock)
   * asynchronously until `busyTimeoutMs` passes.
   */
  async retryBusy<T>(run: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run();
      } catch (err) {
        if (!isBusy(err) || Date.now() >= deadline) throw err;
        await sleep(backoffDelay(attempt + 1, { baseMs: 1, maxMs: 50, jitter: 0 }) + Math.random() * 5);
      }
    }
  }

  #unlock(): void {
    this.#owner = undefined;
    this.#release();
  }
}

/** What kysely holds between acquiring and releasing: statements go through the driver. */
class GroupConnection implements DatabaseConnection {
  constructor(private readonly driver: ImmediateSqliteDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  // biome-ignore lint/correctness/useYield: no query in the store streams; refusing keeps it honest
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported by the SQLite store driver');
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
