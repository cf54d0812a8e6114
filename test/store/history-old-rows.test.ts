import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { byteLength, HISTORY_PAGE_BYTES } from '../../src/store/bounded-history.js';
import { createSqliteStore, openSqliteDatabase } from '../../src/store/sqlite.js';
import { tempDirs } from '../support/tmp.js';

/**
 * Issue 12, item 7: rows written before history was bounded (whole File contents in the change
 * set) still read, bounded, and a page of them stays within HISTORY_PAGE_BYTES. Repro: such a page
 * made `GET /history` answer 500 ("Invalid string length").
 */
describe('sync history rows written before the bound', () => {
  const tmp = tempDirs();

  it('reads old unbounded rows bounded, and pages them by bytes', async () => {
    const file = join(await tmp('old-rows'), 'wheelhouse.db');
    await (await createSqliteStore({ file })).close();
    const { db } = openSqliteDatabase({ file });
    const changeSet = JSON.stringify(
      Array.from({ length: 16 }, (_, n) => ({
        key: `local/File/default/f${n}`,
        kind: 'File',
        name: `f${n}`,
        action: 'configured',
        fields: [{ path: 'spec.content', desired: 'q'.repeat(1024 * 1024) }],
      })),
    );
    for (let i = 0; i < 4; i += 1) {
      await sql`insert into syncs (id, app, revision, digest, actor, sync_trigger, dry_run, started_at, result, change_set, messages)
        values (${`old${i}`}, 'web', ${'a'.repeat(40)}, ${'b'.repeat(40)}, 'git:abc', 'auto', 0,
                ${`2024-05-01T10:0${i}:00.000Z`}, 'succeeded', ${changeSet}, '[]')`.execute(db);
    }
    await db.destroy();
    const store = await createSqliteStore({ file });
    try {
      const page = await store.listSyncs('web');
      expect(page.map((r) => r.id)).toEqual(['old3', 'old2', 'old1', 'old0']);
      expect(byteLength(page)).toBeLessThanOrEqual(HISTORY_PAGE_BYTES);
      expect(String(page[0]?.changeSet[0]?.fields[0]?.desired)).toMatch(
        /… \d+ bytes more, content sha256:[0-9a-f]{64}$/,
      );
      expect((await store.getSync('old0'))?.changeSet).toHaveLength(16);
    } finally {
      await store.close();
    }
  });
});
