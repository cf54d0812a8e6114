import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach } from 'vitest';
import type { Store, SyncRecord } from '../../../src/core/index.js';
import { openStore, type StoreOptions } from '../../../src/store/index.js';
import { parseStoreUrl } from '../../../src/store/open-store.js';

/** What the shared contract needs from each dialect's test file. */
export interface StoreHarness {
  dialect: 'sqlite' | 'postgres';
  /** The URL of a new, empty database. */
  freshUrl(label: string): Promise<string>;
}

/**
 * Raw SQL straight against the database behind a store URL, bypassing the store (to tamper with
 * rows the way an attacker or a careless admin would). Placeholders are `?` in both dialects.
 */
export async function rawSql(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const target = parseStoreUrl(url);
  if (target.kind === 'sqlite') {
    const db = new BetterSqlite3(target.file);
    try {
      const statement = db.prepare(text);
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  let n = 0;
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    const result = await client.query(
      text.replace(/\?/g, () => {
        n += 1;
        return `$${n}`;
      }),
      params,
    );
    return result.rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Opens stores for one test and closes every one of them after it, also when it fails. */
export function useStores(): (url: string, options?: StoreOptions) => Promise<Store> {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((store) => store.close()));
  });
  return async (url, options) => {
    const store = await openStore(url, options);
    opened.push(store);
    return store;
  };
}

export function syncRecord(overrides: Partial<SyncRecord> & Pick<SyncRecord, 'id'>): SyncRecord {
  return {
    app: 'web',
    revision: 'a'.repeat(40),
    digest: 'b'.repeat(40),
    actor: 'web:alice',
    trigger: 'manual',
    dryRun: false,
    startedAt: '2024-05-01T10:00:00.000Z',
    result: 'running',
    changeSet: [],
    messages: [],
    ...overrides,
  };
}

/** `n` minutes after a fixed instant, as the store keeps times. */
export function minute(n: number): string {
  return new Date(Date.UTC(2024, 4, 1, 10, 0, 0) + n * 60_000).toISOString();
}

/** The rejection of a promise, for asserting on error codes and messages. */
export async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
