import { describe, expect, it } from 'vitest';
import type { HealthTransition } from '../../../src/core/index.js';
import { type StoreHarness, useStores } from './harness.js';

export function healthHistoryContract(h: StoreHarness): void {
  describe('health history', () => {
    const open = useStores();

    it('keeps each change of health, oldest first, filtered by app and period, across a reopen', async () => {
      const url = await h.freshUrl('health_history');
      const store = await open(url);
      const changes: HealthTransition[] = [
        {
          app: 'web',
          at: '2026-11-02T10:00:00.000Z',
          from: 'Healthy',
          to: 'Degraded',
          message: 'exited with code 1',
        },
        { app: 'api', at: '2026-11-02T10:00:00.000Z', from: 'Unknown', to: 'Healthy' },
        { app: 'web', at: '2026-11-02T10:05:00.000Z', from: 'Degraded', to: 'Healthy' },
        { app: 'web', at: '2026-11-03T08:00:00.000Z', from: 'Healthy', to: 'Progressing' },
      ];
      for (const change of changes) await store.recordHealthTransition(change);
      await store.close();
      const reopened = await open(url);
      expect(await reopened.listHealthTransitions({ app: 'web' })).toEqual(
        changes.filter((c) => c.app === 'web'),
      );
      expect(
        await reopened.listHealthTransitions({
          from: '2026-11-02T10:00:00.000Z',
          to: '2026-11-03T00:00:00.000Z',
        }),
      ).toEqual(changes.slice(0, 3));
      expect(await reopened.listHealthTransitions({ limit: 1 })).toHaveLength(1);
    });

    it('refuses a health that is not one and says which are', async () => {
      const store = await open(await h.freshUrl('health_history_bad'));
      const bad = {
        app: 'web',
        at: '2026-11-02T10:00:00.000Z',
        from: 'Healthy',
        to: 'Sad',
      } as unknown as HealthTransition;
      await expect(store.recordHealthTransition(bad)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('healthTransition.to: "Sad" is not a health (one of Healthy'),
      });
    });
  });
}
