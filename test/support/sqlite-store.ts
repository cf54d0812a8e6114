import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll } from 'vitest';
import type { Store } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/store/index.js';

export interface TestStore extends Store {
  /** The database file, for tests that tamper with rows directly. */
  readonly file: string;
}

/**
 * Real SQLite stores in temp dirs for a test file, closed and removed in afterAll (also on
 * failure). Call at module or describe level.
 */
export function sqliteStores(): () => Promise<TestStore> {
  const opened: { store: Store; dir: string }[] = [];
  afterAll(async () => {
    for (const { store, dir } of opened) {
      await store.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wh-store-'));
    const file = join(dir, 'wheelhouse.db');
    const store = await createSqliteStore({ file });
    opened.push({ store, dir });
    return Object.assign(store, { file });
  };
}

/** Alters one audit row behind the store's back (what `audit --verify` must detect). */
export function tamperAuditRow(file: string, seq: number, text: string): void {
  const db = new BetterSqlite3(file);
  try {
    db.prepare('UPDATE audit SET text = ? WHERE seq = ?').run(text, seq);
  } finally {
    db.close();
  }
}
