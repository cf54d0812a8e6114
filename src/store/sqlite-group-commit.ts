import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, QueryResult } from 'kysely';

/** Statements kept prepared per handle: the engine runs a few dozen distinct ones, very often. */
const PREPARED_LIMIT = 256;
const preparedByHandle = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * The handle's prepared statement for `sql`, prepared once (kysely compiles the same text for
 * every run of a query; preparing it again each time was a quarter of the store's time).
 */
export function prepared(sqlite: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let cache = preparedByHandle.get(sqlite);
  if (!cache) {
    cache = new Map();
    preparedByHandle.set(sqlite, cache);
  }
  let statement = cache.get(sql);
  if (statement) return statement;
  statement = sqlite.prepare(sql);
  if (cache.size >= PREPARED_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(sql, statement);
  return statement;
}

/** Runs one compiled query on the handle: rows for a reader, changes and insert id for a writer. */
export function runQuery<R>(
  sqlite: BetterSqlite3.Database,
  query: CompiledQuery,
  statement: BetterSqlite3.Statement = prepared(sqlite, query.sql),
): QueryResult<R> {
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

interface Batch {
  committed: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit for statements outside an explicit transaction. The first write opens a batch
 * (`begin immediate`); every write issued before the next turn of the event loop joins it; the
 * batch commits once (one fsync with `synchronous=FULL`) and each write's promise resolves only
 * then, so a write is on disk before its caller hears of it, as with one transaction per write.
 * A statement that fails (a constraint) fails alone: SQLite undoes just that statement. A failure
 * that ends the transaction (disk full) or a failed commit fails every write of the batch.
 * Reads run at once (inside an open batch they see its writes, this process's own).
 */
export class GroupCommit {
  #batch: Batch | undefined;

  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async run<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = prepared(this.sqlite, query.sql);
    if (statement.reader) return runQuery<R>(this.sqlite, query, statement);
    const batch = this.#open();
    let result: QueryResult<R>;
    try {
      result = runQuery<R>(this.sqlite, query, statement);
    } catch (err) {
      if (!this.sqlite.inTransaction) this.#end(batch, err);
      throw err;
    }
    await batch.committed;
    return result;
  }

  /** Commits the open batch now (an explicit transaction is about to begin). */
  flush(): void {
    const batch = this.#batch;
    if (!batch) return;
    try {
      this.sqlite.exec('commit');
      this.#end(batch);
    } catch (err) {
      try {
        if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
      } finally {
        this.#end(batch, err);
      }
    }
  }

  /** The open batch, or a new one (throws SQLITE_BUSY while another connection writes). */
  #open(): Batch {
    if (this.#batch) return this.#batch;
    this.sqlite.exec('begin immediate');
    let resolve: () => void = () => {};
    let reject: (err: unknown) => void = () => {};
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    committed.catch(() => {}); // the writers waiting on it get the error; none may be left
    const batch: Batch = { committed, resolve, reject };
    this.#batch = batch;
    setImmediate(() => {
      if (this.#batch === batch) this.flush();
    });
    return batch;
  }

  #end(batch: Batch, err?: unknown): void {
    if (this.#batch === batch) this.#batch = undefined;
    if (err === undefined) batch.resolve();
    else batch.reject(err);
  }
}
