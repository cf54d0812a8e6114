import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultStoreUrl, openStore } from '../../src/store/index.js';
import { parseStoreUrl } from '../../src/store/open-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { tempDirs } from '../support/tmp.js';
import { rejection, useStores } from './contract/harness.js';

describe('openStore', () => {
  const tmp = tempDirs();
  const open = useStores();

  it('parses sqlite and postgres URLs and refuses other schemes', () => {
    expect(parseStoreUrl('sqlite:/data/wheelhouse.db')).toEqual({
      kind: 'sqlite',
      file: '/data/wheelhouse.db',
    });
    expect(parseStoreUrl('sqlite:///data/w.db')).toEqual({ kind: 'sqlite', file: '/data/w.db' });
    expect(parseStoreUrl('sqlite:rel/w.db')).toEqual({ kind: 'sqlite', file: 'rel/w.db' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseStoreUrl('postgresql://u@h/db')).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://u@h/db',
    });
    expect(() => parseStoreUrl('sqlite:')).toThrow(/names no file/);
    try {
      parseStoreUrl('mysql://root:hunter2@db/wheelhouse');
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toMatchObject({ code: 'BAD_REQUEST' });
      expect(String((err as Error).message)).toMatch(/unknown scheme.*sqlite:.*postgres:/);
      expect(String((err as Error).message)).not.toContain('hunter2');
    }
  });

  it('keeps the embedded database in <dataDir>/wheelhouse.db, in WAL mode', async () => {
    const dataDir = join(await tmp('store-open'), 'nested', 'data');
    const url = defaultStoreUrl(dataDir);
    expect(url).toBe(`sqlite:${join(dataDir, 'wheelhouse.db')}`);
    const store = await open(url);
    await store.appendAudit({ actor: 'cli:test', action: 'open' });
    expect(existsSync(join(dataDir, 'wheelhouse.db'))).toBe(true);
    const raw = new BetterSqlite3(join(dataDir, 'wheelhouse.db'), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('works in memory (tests, demos)', async () => {
    const store = await open('sqlite::memory:');
    await store.createUser('admin', 'h');
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['admin']);
  });

  it('says where and why when the SQLite file cannot be created', async () => {
    const dir = await tmp('store-bad');
    await writeFile(join(dir, 'plain-file'), 'not a directory');
    const err = await rejection(openStore(`sqlite:${join(dir, 'plain-file', 'wheelhouse.db')}`));
    expect(err.code).toBe('STORE_FAILED');
    expect(err.message).toContain(join(dir, 'plain-file', 'wheelhouse.db'));
    expect(err.message).toMatch(/writable/);
  });

  it('says where PostgreSQL could not be reached, without the password', async () => {
    const port = await closedPort();
    const err = await rejection(openStore(`postgres://wheelhouse:s3cret-pw@127.0.0.1:${port}/wheelhouse`));
    expect(err.code).toBe('STORE_FAILED');
    expect(err.message).toContain(`127.0.0.1:${port}/wheelhouse`);
    expect(err.message).not.toContain('s3cret-pw');
    expect(JSON.stringify((err as { details?: unknown }).details)).not.toContain('s3cret-pw');
  });

  it('waits for another connection holding the write lock without blocking the event loop', async () => {
    const file = join(await tmp('store-busy'), 'wheelhouse.db');
    const store = await createSqliteStore({ file });
    try {
      const other = new BetterSqlite3(file);
      other.prepare('begin immediate').run();
      // Released by a timer: it can only fire if the waiting store leaves the event loop free.
      const released = new Promise<void>((resolve) =>
        setTimeout(() => {
          other.prepare('commit').run();
          other.close();
          resolve();
        }, 300),
      );
      const entry = await store.appendAudit({ actor: 'cli:test', action: 'waited' });
      await released;
      expect(entry.seq).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('gives up with a clear error when the lock is never released', async () => {
    const file = join(await tmp('store-busy-forever'), 'wheelhouse.db');
    const store = await createSqliteStore({ file, busyTimeoutMs: 200 });
    const other = new BetterSqlite3(file);
    try {
      other.prepare('begin immediate').run();
      const err = await rejection(store.createUser('alice', 'h'));
      expect(err.code).toBe('STORE_FAILED');
      expect(err.message).toMatch(/create user alice.*locked/);
    } finally {
      other.prepare('rollback').run();
      other.close();
      await store.close();
    }
  });
});

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
