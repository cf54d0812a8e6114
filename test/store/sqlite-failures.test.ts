import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { WheelhouseError } from '../../src/core/index.js';
import { createKyselyStore } from '../../src/store/kysely-store.js';
import { createSqliteStore, openSqliteDatabase } from '../../src/store/sqlite.js';
import { tempDirs } from '../support/tmp.js';

/** Issue 12, item 18: what the operator reads when the SQLite file's disk fills up or a page rots. */
describe('SQLite store failures', () => {
  const tmp = tempDirs();

  // Repro: a full disk during an audit write reported "cannot rollback - no transaction is active".
  // `max_page_count` caps the database the way a full filesystem does (SQLite answers SQLITE_FULL).
  it('reports a full disk during an audit write as SQLITE_FULL, not "cannot rollback"', async () => {
    const file = join(await tmp('full'), 'wheelhouse.db');
    await (await createSqliteStore({ file })).close();
    const { db, dialect } = openSqliteDatabase({ file });
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    const count = pages.rows[0]?.page_count ?? 0;
    await sql.raw(`pragma max_page_count = ${count + 2}`).execute(db);
    const store = await createKyselyStore(db, dialect);
    try {
      let failure: unknown;
      for (let i = 0; i < 50 && failure === undefined; i += 1) {
        await store
          .appendAudit({ actor: 'cli:alice', action: 'sync', details: { blob: 'x'.repeat(8192), i } })
          .catch((err: unknown) => {
            failure = err;
          });
      }
      expect(failure).toBeInstanceOf(WheelhouseError);
      const message = (failure as Error).message;
      expect(message).not.toMatch(/cannot rollback/);
      expect(message).toMatch(/disk holding the database is full \(SQLITE_FULL/);
      expect(message).toContain(file);
      expect(message).toMatch(/free space/);
      expect((failure as WheelhouseError).details).toMatchObject({ reason: 'disk-full' });
      // The chain is whole: nothing half-written.
      expect((await store.verifyAudit()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  // The same on a real full filesystem: a 2 MiB tmpfs (needs root to mount; skipped otherwise).
  it.skipIf(!canMountTmpfs())('reports a real full disk (a 2 MiB tmpfs) as SQLITE_FULL', async () => {
    const dir = await tmp('tmpfs');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
    try {
      const file = join(dir, 'wheelhouse.db');
      const store = await createSqliteStore({ file });
      let failure: unknown;
      try {
        for (let i = 0; i < 400 && failure === undefined; i += 1) {
          await store
            .appendAudit({ actor: 'cli:alice', action: 'sync', details: { blob: 'x'.repeat(16_384), i } })
            .catch((err: unknown) => {
              failure = err;
            });
        }
      } finally {
        await store.close().catch(() => undefined);
      }
      const message = (failure as Error | undefined)?.message ?? 'no failure';
      expect(message).not.toMatch(/cannot rollback/);
      expect(message).toMatch(/disk holding the database is full \(SQLITE_FULL/);
      expect(message).toContain(file);
    } finally {
      execFileSync('umount', [dir]);
    }
  });

  // Repro: a corrupted audit page was not noticed at start-up; every command then failed with
  // STORE_FAILED. Corrupt one page of the audit table in a copy and open it.
  it('refuses to open a store with a corrupted audit page, naming the file and the restore', async () => {
    const file = join(await tmp('corrupt'), 'wheelhouse.db');
    const store = await createSqliteStore({ file });
    for (let i = 0; i < 200; i += 1) {
      await store.appendAudit({
        actor: 'cli:alice',
        action: 'sync',
        details: { text: `entry ${i} ${'y'.repeat(200)}` },
      });
    }
    await store.close();
    const { db } = openSqliteDatabase({ file });
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    const root = await sql<{
      rootpage: number;
    }>`select rootpage from sqlite_master where name = 'audit'`.execute(db);
    const pageSize =
      (await sql<{ page_size: number }>`pragma page_size`.execute(db)).rows[0]?.page_size ?? 4096;
    await db.destroy();
    const rootPage = root.rows[0]?.rootpage ?? 0;
    expect(rootPage).toBeGreaterThan(0);
    expect((await stat(file)).size).toBeGreaterThan(rootPage * pageSize);
    // Overwrite the audit table's root page (an interior b-tree page with 200 rows) with garbage.
    const handle = await open(file, 'r+');
    await handle.write(Buffer.alloc(pageSize, 0x5a), 0, pageSize, (rootPage - 1) * pageSize);
    await handle.close();

    const opened = createSqliteStore({ file });
    await expect(opened).rejects.toThrow(WheelhouseError);
    const message = await opened.then(
      () => '',
      (err: unknown) => (err as Error).message,
    );
    expect(message).toContain(`the SQLite store ${file} is damaged (PRAGMA quick_check`);
    expect(message).toMatch(/restore the latest backup/);
  });
});

/** Whether this process may mount a tmpfs (root, and a kernel that allows it here). */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'wh-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}
