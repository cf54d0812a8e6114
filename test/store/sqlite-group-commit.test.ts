import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../src/store/sqlite.js';
import { prepared } from '../../src/store/sqlite-group-commit.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function database() {
  const dir = await mkdtemp(join(tmpdir(), 'wh-group-'));
  dirs.push(dir);
  const file = join(dir, 'group.db');
  const { db } = openSqliteDatabase({ file });
  await sql`create table t (k text primary key, v text not null)`.execute(db);
  return { db, file };
}

/** Frames in the write-ahead log: each commit appends at least one (header 32 bytes, 24 per frame). */
function walFrames(file: string): number {
  const size = statSync(`${file}-wal`).size;
  const page = new BetterSqlite3(file, { readonly: true }).pragma('page_size', { simple: true }) as number;
  return Math.max(0, Math.round((size - 32) / (page + 24)));
}

describe('SQLite group commit', () => {
  it('commits writes issued together once, and each is on disk when its promise resolves', async () => {
    const { db, file } = await database();
    const before = walFrames(file);
    const writes = Array.from({ length: 200 }, (_, i) =>
      sql`insert into t (k, v) values (${`k${i}`}, ${'v'})`.execute(db),
    );
    await Promise.all(writes);
    // Another connection (as after a crash of this process) sees every row.
    const other = new BetterSqlite3(file, { readonly: true });
    expect(other.prepare('select count(*) as n from t').get()).toEqual({ n: 200 });
    other.close();
    // One commit per write would have appended at least 200 frames; a group appends a few.
    expect(walFrames(file) - before).toBeLessThan(20);
    await db.destroy();
  });

  it('fails only the write that breaks a constraint; the others of its group are kept', async () => {
    const { db, file } = await database();
    await sql`insert into t (k, v) values ('taken', 'first')`.execute(db);
    const results = await Promise.allSettled([
      sql`insert into t (k, v) values ('a', 'x')`.execute(db),
      sql`insert into t (k, v) values ('taken', 'second')`.execute(db),
      sql`insert into t (k, v) values ('b', 'x')`.execute(db),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('UNIQUE');
    const other = new BetterSqlite3(file, { readonly: true });
    expect(other.prepare('select k, v from t order by k').all()).toEqual([
      { k: 'a', v: 'x' },
      { k: 'b', v: 'x' },
      { k: 'taken', v: 'first' },
    ]);
    other.close();
    await db.destroy();
  });

  it('runs an explicit transaction alone, after the writes grouped before it', async () => {
    const { db } = await database();
    const grouped = sql`insert into t (k, v) values ('before', '1')`.execute(db);
    const counted = db.transaction().execute(async (trx) => {
      const row = await sql<{ n: number }>`select count(*) as n from t`.execute(trx);
      await sql`insert into t (k, v) values ('tx', ${String(row.rows[0]?.n)})`.execute(trx);
    });
    const after = sql`insert into t (k, v) values ('after', '1')`.execute(db);
    await Promise.all([grouped, counted, after]);
    const rows = await sql<{ k: string; v: string }>`select k, v from t where k = 'tx'`.execute(db);
    // The transaction saw the write issued before it, and not the one issued after.
    expect(rows.rows).toEqual([{ k: 'tx', v: '1' }]);
    await db.destroy();
  });

  it('prepares a statement once per text, and keeps answering past its cache limit', () => {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.exec('create table t (k integer primary key)');
    const select = prepared(sqlite, 'select count(*) as n from t');
    expect(prepared(sqlite, 'select count(*) as n from t')).toBe(select);
    for (let i = 0; i < 600; i++) prepared(sqlite, `insert into t (k) values (${i})`).run();
    expect(prepared(sqlite, 'select count(*) as n from t').get()).toEqual({ n: 600 });
    // A schema change after preparing: SQLite prepares the kept statement again by itself.
    sqlite.exec('alter table t add column v text');
    prepared(sqlite, 'insert into t (k, v) values (1000, ?)').run('x');
    expect(prepared(sqlite, 'select count(*) as n from t').get()).toEqual({ n: 601 });
    sqlite.close();
  });
});
