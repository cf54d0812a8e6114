import { describe, expect, it } from 'vitest';
import type { PreviewRecord } from '../../../src/core/index.js';
import { type StoreHarness, useStores } from './harness.js';

const record = (id: string, revision: string, updatedAt: string): PreviewRecord => ({
  id,
  url: `https://forge.test/${id}`,
  report: {
    repo: 'https://forge.test/acme/deploy.git',
    ref: 'refs/pull/7/head',
    revision,
    failed: false,
    apps: [{ app: 'web', outcome: 'changed', changes: [], text: '~ File/web', issues: [] }],
  },
  updatedAt,
});

export function previewContract(h: StoreHarness): void {
  describe('previews', () => {
    const open = useStores();

    it('keeps one preview per pull request, replaced by a newer push, newest first, across a reopen', async () => {
      const url = await h.freshUrl('previews');
      const store = await open(url);
      await store.savePreview(record('github:acme/deploy#7', 'a'.repeat(40), '2026-12-05T03:00:00.000Z'));
      await store.savePreview(record('github:acme/deploy#8', 'b'.repeat(40), '2026-12-05T03:01:00.000Z'));
      const newer = record('github:acme/deploy#7', 'c'.repeat(40), '2026-12-05T03:02:00.000Z');
      await store.savePreview(newer);
      await store.close();
      const reopened = await open(url);
      expect(await reopened.getPreview('github:acme/deploy#7')).toEqual(newer);
      expect(await reopened.getPreview('github:acme/deploy#9')).toBeUndefined();
      expect((await reopened.listPreviews()).map((p) => [p.id, p.report.revision[0]])).toEqual([
        ['github:acme/deploy#7', 'c'],
        ['github:acme/deploy#8', 'b'],
      ]);
      expect(await reopened.listPreviews({ limit: 1 })).toHaveLength(1);
    });
  });
}
