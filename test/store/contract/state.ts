import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../src/core/index.js';
import { rawSql, type StoreHarness, useStores } from './harness.js';

export function appStateContract(h: StoreHarness): void {
  describe('app state', () => {
    const open = useStores();

    it('saves, replaces and reads the whole state with its inventory', async () => {
      const url = await h.freshUrl('app_state');
      const store = await open(url);
      const full: AppState = {
        app: 'web',
        pinnedRevision: 'abc',
        lastGoodRevision: 'def',
        lastGoodDigest: 'tree1',
        pendingSyncId: 'sync-9',
        lastError: { code: 'DRIVER_FAILED', message: 'port 8080 in use', at: '2024-05-01T10:00:00.000Z' },
        inventory: ['local/Process/default/web', 'local/Process/default/worker'],
      };
      expect(await store.getAppState('web')).toBeUndefined();
      await store.putAppState(full);
      await store.putAppState({ app: 'api', inventory: [] });
      expect(await store.getAppState('web')).toEqual(full);

      const replaced: AppState = {
        app: 'web',
        lastGoodRevision: 'ghi',
        inventory: ['local/Process/default/web'],
      };
      await store.putAppState(replaced);
      await store.close();
      const reopened = await open(url);
      expect(await reopened.getAppState('web')).toEqual(replaced);
      expect(await reopened.getAppState('api')).toEqual({ app: 'api', inventory: [] });
      const rows = await rawSql(url, 'select app from app_state order by app');
      expect(rows.map((r) => r.app)).toEqual(['api', 'web']);

      const bad = { app: 'web', inventory: 'nope' } as unknown as AppState;
      await expect(reopened.putAppState(bad)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });
  });
}

export function deliveryContract(h: StoreHarness): void {
  describe('delivery ids', () => {
    const open = useStores();

    it('reports a repeated delivery once per source', async () => {
      const store = await open(await h.freshUrl('deliveries'));
      expect(await store.markDelivered('github', 'd-1')).toBe(true);
      expect(await store.markDelivered('github', 'd-1')).toBe(false);
      expect(await store.markDelivered('gitlab', 'd-1')).toBe(true);
      const concurrent = await Promise.all(
        Array.from({ length: 8 }, () => store.markDelivered('slack', 'retry')),
      );
      expect(concurrent.filter(Boolean)).toHaveLength(1);
    });

    it('forgets ids older than the retention window (pruned rows)', async () => {
      const url = await h.freshUrl('deliveries_prune');
      let now = Date.UTC(2024, 4, 1);
      const hour = 3_600_000;
      const store = await open(url, { now: () => new Date(now), deliveryRetentionMs: 24 * hour });
      expect(await store.markDelivered('github', 'old')).toBe(true);
      now += 12 * hour;
      expect(await store.markDelivered('github', 'recent')).toBe(true);
      expect(await store.markDelivered('github', 'old')).toBe(false);
      now += 13 * hour;
      // 25 h after "old" and 13 h after "recent": only "old" falls out of the window.
      expect(await store.markDelivered('github', 'new')).toBe(true);
      const left = await rawSql(url, 'select id from deliveries order by id');
      expect(left.map((r) => r.id)).toEqual(['new', 'recent']);
      expect(await store.markDelivered('github', 'recent')).toBe(false);
      expect(await store.markDelivered('github', 'old')).toBe(true);
    });
  });
}
