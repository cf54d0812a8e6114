import { afterAll, describe, expect, it } from 'vitest';
import { isWheelhouseError, type Store, type WebSession } from '../../src/core/index.js';
import { openStore } from '../../src/store/index.js';
import { hashToken } from '../../src/util/index.js';
import { postgresMissing, usePostgresCluster } from '../support/postgres.js';
import { sqliteStores } from '../support/sqlite-store.js';

/** The store's session methods, the same on SQLite and PostgreSQL (migration 2, `web_sessions`). */
function sessionContract(name: string, open: () => Promise<Store>) {
  describe(`dashboard sessions in the ${name} store`, () => {
    const session = (id: string, overrides: Partial<WebSession> = {}): WebSession => ({
      idHash: hashToken(id),
      user: 'alice',
      tokenHash: hashToken(`token-of-${id}`),
      createdAt: '2026-01-10T12:00:00.000Z',
      expiresAt: '2026-01-11T00:00:00.000Z',
      ...overrides,
    });

    it('inserts, reads back, refuses a duplicate id and deletes', async () => {
      const store = await open();
      const s = session('one');
      await store.insertSession?.(s);
      expect(await store.getSession?.(s.idHash)).toEqual(s);
      expect(await store.getSession?.(hashToken('other'))).toBeUndefined();
      const duplicate = await store.insertSession?.(s).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isWheelhouseError(duplicate, 'CONFLICT')).toBe(true);
      expect(await store.deleteSession?.(s.idHash)).toBe(true);
      expect(await store.deleteSession?.(s.idHash)).toBe(false);
      expect(await store.getSession?.(s.idHash)).toBeUndefined();
    });

    it('deletes only the sessions past their expiry', async () => {
      const store = await open();
      const old = session('old', { expiresAt: '2026-01-10T12:30:00.000Z' });
      const live = session('live', { expiresAt: '2026-01-10T14:00:00.000Z' });
      await store.insertSession?.(old);
      await store.insertSession?.(live);
      expect(await store.deleteExpiredSessions?.('2026-01-10T13:00:00.000Z')).toBe(1);
      expect(await store.getSession?.(old.idHash)).toBeUndefined();
      expect(await store.getSession?.(live.idHash)).toEqual(live);
    });
  });
}

const sqlite = sqliteStores();
sessionContract('SQLite', () => sqlite());

const missing = postgresMissing();
describe.skipIf(missing !== undefined)('PostgreSQL', () => {
  const cluster = usePostgresCluster();
  const opened: Store[] = [];
  sessionContract('PostgreSQL', async () => {
    const store = await openStore(await cluster.createDatabase('sessions'));
    opened.push(store);
    return store;
  });
  // Closed before the cluster stops (vitest runs afterAll hooks in reverse order of registration).
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });
});
