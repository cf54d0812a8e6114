import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../src/core/index.js';
import {
  byteLength,
  HISTORY_FIELD_BYTES,
  HISTORY_PAGE_BYTES,
  HISTORY_RECORD_BYTES,
} from '../../../src/store/bounded-history.js';
import { minute, rejection, type StoreHarness, syncRecord, useStores } from './harness.js';

export function syncContract(h: StoreHarness): void {
  describe('sync history', () => {
    const open = useStores();

    it('round-trips a full record and a minimal one, and survives a reopen', async () => {
      const url = await h.freshUrl('syncs_roundtrip');
      const store = await open(url);
      const full: SyncRecord = syncRecord({
        id: 'sync-full',
        trigger: 'webhook',
        dryRun: true,
        startedAt: minute(0),
        finishedAt: minute(1),
        result: 'succeeded',
        changeSet: [
          {
            key: 'local/Process/default/web',
            kind: 'Process',
            name: 'web',
            action: 'configured',
            fields: [{ path: 'spec.env.PORT', live: '8080', desired: '8081' }, { path: 'spec.args' }],
            drift: 'restarted by hand',
          },
        ],
        messages: ['applied 1 resource', 'healthy after 2 s ✓'],
        health: { status: 'Healthy', message: 'all processes up' },
        facts: { image: { digest: 'sha256:abc' }, replicas: 2 },
      });
      const minimal = syncRecord({ id: 'sync-min', startedAt: minute(2) });
      await store.insertSync(full);
      await store.insertSync(minimal);
      expect(await store.getSync('sync-full')).toEqual(full);
      const readMinimal = await store.getSync('sync-min');
      expect(readMinimal).toEqual(minimal);
      expect(readMinimal && 'finishedAt' in readMinimal).toBe(false);
      expect(await store.getSync('nope')).toBeUndefined();

      await store.close();
      const reopened = await open(url);
      expect(await reopened.getSync('sync-full')).toEqual(full);
    });

    it('reads the facts of succeeded, not dry-run syncs of one digest among the newest', async () => {
      const store = await open(await h.freshUrl('syncs_facts'));
      const d = 'd'.repeat(40);
      const e = 'e'.repeat(40);
      const ok = { result: 'succeeded' as const, digest: d };
      for (const record of [
        syncRecord({ id: 'f1', ...ok, startedAt: minute(1), facts: { web: { image: 'one' } } }),
        syncRecord({ id: 'failed', ...ok, result: 'failed', startedAt: minute(2), facts: { web: { x: 1 } } }),
        syncRecord({ id: 'dry', ...ok, dryRun: true, startedAt: minute(3), facts: { web: { x: 2 } } }),
        syncRecord({ id: 'other', ...ok, digest: e, startedAt: minute(4), facts: { web: { x: 3 } } }),
        syncRecord({ id: 'other-app', ...ok, app: 'api', startedAt: minute(5), facts: { web: { x: 4 } } }),
        syncRecord({ id: 'f2', ...ok, startedAt: minute(6), facts: { web: { image: 'two' } } }),
        syncRecord({ id: 'none', ...ok, startedAt: minute(7) }),
      ]) {
        await store.insertSync(record);
      }
      expect(await store.listSyncFacts('web', d, 200)).toEqual([
        { web: { image: 'two' } },
        { web: { image: 'one' } },
      ]);
      // Only among the newest syncs of the app: here 'none' and 'f2'.
      expect(await store.listSyncFacts('web', d, 2)).toEqual([{ web: { image: 'two' } }]);
      expect(await store.listSyncFacts('web', d, 1)).toEqual([]);
      expect(await store.listSyncFacts('nobody', d, 200)).toEqual([]);
    });

    it('updates a record in place and refuses unknown and duplicate ids', async () => {
      const store = await open(await h.freshUrl('syncs_update'));
      const running = syncRecord({ id: 's1', startedAt: minute(0) });
      await store.insertSync(running);
      const done: SyncRecord = {
        ...running,
        result: 'failed',
        finishedAt: minute(3),
        messages: ['apply failed'],
      };
      await store.updateSync(done);
      expect(await store.getSync('s1')).toEqual(done);

      const missing = await rejection(store.updateSync(syncRecord({ id: 'ghost' })));
      expect(missing.code).toBe('NOT_FOUND');
      expect(missing.message).toContain('ghost');
      const duplicate = await rejection(store.insertSync(running));
      expect(duplicate.code).toBe('CONFLICT');
      expect(duplicate.message).toContain('s1');
    });

    it('lists an app newest first and pages with `before` until the end', async () => {
      const store = await open(await h.freshUrl('syncs_pages'));
      // Inserted out of order, with one tie on startedAt (insertion order breaks it).
      const order = [3, 0, 4, 1, 2];
      for (const n of order) await store.insertSync(syncRecord({ id: `w${n}`, startedAt: minute(n) }));
      await store.insertSync(syncRecord({ id: 'w4b', startedAt: minute(4) }));
      await store.insertSync(syncRecord({ id: 'other', app: 'api', startedAt: minute(9) }));

      const ids: string[] = [];
      let before: string | undefined;
      for (let round = 0; round < 10; round += 1) {
        const page = await store.listSyncs('web', before === undefined ? { limit: 2 } : { limit: 2, before });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        ids.push(...page.map((s) => s.id));
        before = page.at(-1)?.id;
      }
      expect(ids).toEqual(['w4b', 'w4', 'w3', 'w2', 'w1', 'w0']);
      expect((await store.listSyncs('web')).map((s) => s.id)).toEqual(ids);
      expect((await store.listSyncs('api')).map((s) => s.id)).toEqual(['other']);
      expect(await store.listSyncs('nobody')).toEqual([]);

      const cursor = await rejection(store.listSyncs('web', { before: 'other' }));
      expect(cursor.code).toBe('NOT_FOUND');
    });

    // Issue 12, item 7. Repro: 120 × 1 MB Files synced 7 times grew the store to 1.3 GB and
    // `GET /history` answered 500 ("Invalid string length"). Here 24 × 1 MB Files, 6 syncs.
    it('keeps hashes and bounded diffs of big File contents, and bounds a history page in bytes', async () => {
      const store = await open(await h.freshUrl('syncs_bounded'));
      const content = (n: number, round: number) =>
        `${`file ${n} round ${round}\n`.repeat(4)}${'z'.repeat(1024 * 1024)}`;
      for (let round = 0; round < 6; round += 1) {
        await store.insertSync(
          syncRecord({
            id: `big${round}`,
            startedAt: minute(round),
            result: 'succeeded',
            changeSet: Array.from({ length: 24 }, (_, n) => ({
              key: `local/File/default/f${n}`,
              kind: 'File',
              name: `f${n}`,
              action: 'configured' as const,
              fields: [{ path: 'spec.content', live: content(n, round - 1), desired: content(n, round) }],
            })),
            messages: [`applied\n${'m'.repeat(100_000)}`],
          }),
        );
      }
      const page = await store.listSyncs('web');
      expect(page.map((r) => r.id).slice(0, 1)).toEqual(['big5']);
      expect(byteLength(page)).toBeLessThanOrEqual(HISTORY_PAGE_BYTES);
      for (const record of page) expect(byteLength(record)).toBeLessThanOrEqual(HISTORY_RECORD_BYTES + 4096);
      const first = page[0]?.changeSet[0]?.fields[0];
      const whole = content(0, 5);
      expect(first?.path).toBe('spec.content');
      expect(String(first?.desired)).toMatch(/^file 0 round 5\n/);
      expect(String(first?.desired)).toContain(
        `bytes more, content sha256:${createHash('sha256').update(whole).digest('hex')}`,
      );
      // Every resource is still listed with its action; later field changes say they were dropped.
      expect(page[0]?.changeSet).toHaveLength(24);
      expect(page[0]?.changeSet.at(-1)?.fields.at(-1)?.desired).toMatch(/field change\(s\) not kept/);
      expect(page[0]?.messages[0]?.length).toBeLessThan(HISTORY_FIELD_BYTES + 200);
      // Paging on from the last record of a byte-bounded page reaches every sync.
      const ids = page.map((r) => r.id);
      for (let before = ids.at(-1); before !== undefined && ids.length < 6; ) {
        const next = await store.listSyncs('web', { before });
        ids.push(...next.map((r) => r.id));
        before = next.at(-1)?.id;
      }
      expect(ids).toEqual(['big5', 'big4', 'big3', 'big2', 'big1', 'big0']);
    });

    it('keeps times as UTC ISO-8601 so mixed offsets still sort by time, and refuses non-times', async () => {
      const store = await open(await h.freshUrl('syncs_times'));
      // 09:30Z written with an offset sorts before 10:00Z although its text is "larger".
      await store.insertSync(syncRecord({ id: 'late', startedAt: '2024-05-01T10:00:00Z' }));
      await store.insertSync(syncRecord({ id: 'early', startedAt: '2024-05-01T11:30:00+02:00' }));
      const listed = await store.listSyncs('web');
      expect(listed.map((s) => s.id)).toEqual(['late', 'early']);
      expect(listed.map((s) => s.startedAt)).toEqual([
        '2024-05-01T10:00:00.000Z',
        '2024-05-01T09:30:00.000Z',
      ]);

      const bad = await rejection(store.insertSync(syncRecord({ id: 'bad', startedAt: 'yesterday' })));
      expect(bad.code).toBe('BAD_REQUEST');
      expect(bad.message).toContain('sync.startedAt');
    });

    it('lists the syncs still running (left by a crash), oldest first, across apps', async () => {
      const store = await open(await h.freshUrl('syncs_running'));
      await store.insertSync(syncRecord({ id: 'r2', app: 'api', startedAt: minute(2) }));
      await store.insertSync(syncRecord({ id: 'done', startedAt: minute(0), result: 'succeeded' }));
      await store.insertSync(syncRecord({ id: 'r1', startedAt: minute(1) }));
      expect((await store.listRunningSyncs()).map((s) => s.id)).toEqual(['r1', 'r2']);
      const r1 = await store.getSync('r1');
      if (!r1) throw new Error('r1 vanished');
      await store.updateSync({ ...r1, result: 'cancelled', finishedAt: minute(5) });
      expect((await store.listRunningSyncs()).map((s) => s.id)).toEqual(['r2']);
    });
  });
}
