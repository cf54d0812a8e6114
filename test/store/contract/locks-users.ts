import { describe, expect, it } from 'vitest';
import { minute, rejection, type StoreHarness, useStores } from './harness.js';

export function lockContract(h: StoreHarness): void {
  describe('locks', () => {
    const open = useStores();

    it('one holder per app; the holder may ask again; others get the existing lock', async () => {
      const store = await open(await h.freshUrl('locks_basic'));
      const alice = { app: 'web', holder: 'web:alice', reason: 'deploy freeze', createdAt: minute(0) };
      expect(await store.acquireLock(alice)).toEqual({ acquired: true, lock: alice });
      expect(await store.acquireLock({ ...alice, holder: 'web:bob', createdAt: minute(1) })).toEqual({
        acquired: false,
        lock: alice,
      });
      expect(await store.acquireLock({ ...alice, reason: 'again', createdAt: minute(2) })).toEqual({
        acquired: true,
        lock: alice,
      });
      await store.acquireLock({ app: 'api', holder: 'web:bob', reason: '', createdAt: minute(3) });
      expect((await store.listLocks()).map((l) => [l.app, l.holder])).toEqual([
        ['api', 'web:bob'],
        ['web', 'web:alice'],
      ]);
      expect(await store.getLock('web')).toEqual(alice);
      expect(await store.releaseLock('web')).toBe(true);
      expect(await store.releaseLock('web')).toBe(false);
      expect(await store.getLock('web')).toBeUndefined();
      expect((await store.acquireLock({ ...alice, holder: 'web:bob' })).acquired).toBe(true);
    });

    it('of many people locking one app at once from two connections, exactly one gets it', async () => {
      const url = await h.freshUrl('locks_race');
      const a = await open(url);
      const b = await open(url);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? a : b).acquireLock({
            app: 'web',
            holder: `web:user${i}`,
            reason: 'mine',
            createdAt: minute(i),
          }),
        ),
      );
      const winners = results.filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      const holder = winners[0]?.lock.holder;
      for (const r of results) expect(r.lock.holder).toBe(holder);
      expect((await a.getLock('web'))?.holder).toBe(holder);
    });
  });
}

export function userContract(h: StoreHarness): void {
  describe('users', () => {
    const open = useStores();

    it('creates users with unique names and unique token hashes, finds, lists and removes them', async () => {
      const store = await open(await h.freshUrl('users'));
      const alice = await store.createUser('alice', 'hash-a');
      expect(alice.name).toBe('alice');
      expect(Number.isNaN(Date.parse(alice.createdAt))).toBe(false);
      await store.createUser('admin', 'hash-admin');
      expect(await store.findUserByTokenHash('hash-a')).toEqual(alice);
      expect(await store.findUserByTokenHash('hash-x')).toBeUndefined();

      const sameName = await rejection(store.createUser('alice', 'hash-b'));
      expect(sameName.code).toBe('CONFLICT');
      expect(sameName.message).toContain('alice');
      const sameHash = await rejection(store.createUser('bob', 'hash-a'));
      expect(sameHash.code).toBe('CONFLICT');
      expect(sameHash.message).not.toContain('hash-a');
      expect(sameHash.message).not.toContain('alice');

      expect((await store.listUsers()).map((u) => u.name)).toEqual(['admin', 'alice']);
      expect(await store.removeUser('alice')).toBe(true);
      expect(await store.removeUser('alice')).toBe(false);
      expect(await store.findUserByTokenHash('hash-a')).toBeUndefined();
      // The hash is free again once its user is gone.
      expect((await store.createUser('bob', 'hash-a')).name).toBe('bob');
    });
  });
}
