import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, Store } from '../../../src/core/index.js';
import { canonicalJson } from '../../../src/util/index.js';
import { rawSql, type StoreHarness, useStores } from './harness.js';

/** The documented hash, computed here independently of the store's own helper. */
function expectedHash(entry: AuditEntry): string {
  const { hash: _hash, prevHash, ...fields } = entry;
  return createHash('sha256')
    .update(`${canonicalJson(fields)}${prevHash}`)
    .digest('hex');
}

async function appendMany(store: Store, n: number): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= n; i += 1) {
    entries.push(
      await store.appendAudit({
        actor: i % 2 ? 'web:alice' : 'slack:U123',
        action: 'command.sync',
        app: i % 3 ? 'web' : 'api',
        text: `sync web #${i}`,
        decision: 'allowed',
      }),
    );
  }
  return entries;
}

export function auditContract(h: StoreHarness): void {
  describe('audit log', () => {
    const open = useStores();

    it('appends hash-chained entries and verifies the chain', async () => {
      const url = await h.freshUrl('audit_append');
      const store = await open(url);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 0 });
      const first = await store.appendAudit({
        actor: 'web:alice',
        action: 'command.sync',
        app: 'web',
        platform: 'web',
        channel: 'ops',
        text: 'sync web',
        decision: 'awaiting-approval',
        result: 'pending',
        details: { z: 1, a: { y: [1, 2, { c: true, b: null }], x: 'é' }, dropped: undefined },
      });
      const second = await store.appendAudit({ actor: 'cli:bob', action: 'lock' });
      expect(first.seq).toBe(1);
      expect(first.prevHash).toBe('0'.repeat(64));
      expect(first.details).toEqual({ z: 1, a: { y: [1, 2, { c: true, b: null }], x: 'é' } });
      expect(first.hash).toBe(expectedHash(first));
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash, actor: 'cli:bob', action: 'lock' });
      expect(second.hash).toBe(expectedHash(second));
      expect(Object.keys(second).sort()).toEqual(['action', 'actor', 'at', 'hash', 'prevHash', 'seq']);
      expect(Number.isNaN(Date.parse(second.at))).toBe(false);

      expect(await store.listAudit()).toEqual([first, second]);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 2 });
      await store.close();
      const reopened = await open(url);
      expect(await reopened.listAudit()).toEqual([first, second]);
      expect(await reopened.verifyAudit()).toEqual({ ok: true, checked: 2 });
    });

    it('refuses an entry without actor or action, and details that are not JSON', async () => {
      const store = await open(await h.freshUrl('audit_bad'));
      await expect(store.appendAudit({ actor: '', action: 'x' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      await expect(store.appendAudit({ actor: 'a', action: '' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      await expect(
        store.appendAudit({ actor: 'a', action: 'b', details: { big: 1n } }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 0 });
    });

    it('filters by app and actor and pages with afterSeq, before and limit (chain order)', async () => {
      const store = await open(await h.freshUrl('audit_pages'));
      await appendMany(store, 12);
      const seqs = (entries: AuditEntry[]) => entries.map((e) => e.seq);
      expect(seqs(await store.listAudit({ limit: 3 }))).toEqual([10, 11, 12]);
      expect(seqs(await store.listAudit({ limit: 3, before: 10 }))).toEqual([7, 8, 9]);
      expect(seqs(await store.listAudit({ afterSeq: 4, limit: 3 }))).toEqual([5, 6, 7]);
      expect(seqs(await store.listAudit({ afterSeq: 10 }))).toEqual([11, 12]);
      expect(seqs(await store.listAudit({ app: 'api' }))).toEqual([3, 6, 9, 12]);
      expect(seqs(await store.listAudit({ actor: 'slack:U123', app: 'web' }))).toEqual([2, 4, 8, 10]);
      expect(seqs(await store.listAudit({ actor: 'nobody' }))).toEqual([]);
      expect(seqs(await store.listAudit({ before: '3' }))).toEqual([1, 2]);
      await expect(store.listAudit({ before: 'latest' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('names the entry whose text was altered directly in SQL', async () => {
      const url = await h.freshUrl('audit_tamper');
      const store = await open(url);
      await appendMany(store, 6);
      await rawSql(url, 'update audit set text = ? where seq = ?', ['sync web #4 (nothing to see)', 4]);
      const result = await store.verifyAudit();
      expect(result.ok).toBe(false);
      expect(result.checked).toBe(3);
      expect(result.firstBroken?.seq).toBe(4);
      expect(result.firstBroken?.reason).toMatch(/entry 4 was altered/);
    });

    it('names an altered details document, even one that no longer parses', async () => {
      const url = await h.freshUrl('audit_details');
      const store = await open(url);
      await store.appendAudit({ actor: 'a', action: 'b', details: { approvers: ['x'] } });
      await store.appendAudit({ actor: 'a', action: 'b', details: { approvers: ['y'] } });
      await rawSql(url, 'update audit set details = ? where seq = ?', ['{"approvers":["x","mallory"]}', 1]);
      expect((await store.verifyAudit()).firstBroken?.seq).toBe(1);
      await rawSql(url, 'update audit set details = ? where seq = ?', ['{not json', 1]);
      expect((await store.verifyAudit()).firstBroken).toMatchObject({ seq: 1, reason: /altered/ });
    });

    it('names a deleted entry (a gap in seq), also the first one', async () => {
      const url = await h.freshUrl('audit_delete');
      const store = await open(url);
      await appendMany(store, 5);
      await rawSql(url, 'delete from audit where seq = ?', [3]);
      expect((await store.verifyAudit()).firstBroken).toEqual({
        seq: 3,
        reason: expect.stringMatching(/entry 3 is missing.*from 2 to 4/),
      });
      await rawSql(url, 'delete from audit where seq in (?, ?)', [1, 2]);
      expect((await store.verifyAudit()).firstBroken).toEqual({
        seq: 1,
        reason: expect.stringMatching(/entries 1-3 are missing/),
      });
    });

    it('names reordered entries and a rewritten hash by the broken link', async () => {
      const url = await h.freshUrl('audit_reorder');
      const store = await open(url);
      const entries = await appendMany(store, 5);
      // Swap rows 2 and 3 by renumbering them.
      await rawSql(url, 'update audit set seq = ? where seq = ?', [-2, 2]);
      await rawSql(url, 'update audit set seq = ? where seq = ?', [2, 3]);
      await rawSql(url, 'update audit set seq = ? where seq = ?', [3, -2]);
      expect((await store.verifyAudit()).firstBroken).toEqual({
        seq: 2,
        reason: expect.stringMatching(/does not link to entry 1.*reordered/),
      });
      // Put them back, then alter entry 2 and rewrite its hash so that it matches its new text.
      await rawSql(url, 'update audit set seq = ? where seq = ?', [-2, 2]);
      await rawSql(url, 'update audit set seq = ? where seq = ?', [2, 3]);
      await rawSql(url, 'update audit set seq = ? where seq = ?', [3, -2]);
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 5 });
      const second = entries[1];
      if (!second) throw new Error('no entry 2');
      const forged = { ...second, text: 'forged' };
      await rawSql(url, 'update audit set text = ?, hash = ? where seq = ?', [
        'forged',
        expectedHash(forged),
        2,
      ]);
      expect((await store.verifyAudit()).firstBroken).toMatchObject({
        seq: 3,
        reason: /does not link to entry 2/,
      });
    });

    it('keeps one valid chain under many concurrent appends from two connections', async () => {
      const url = await h.freshUrl('audit_concurrent');
      const a = await open(url);
      const b = await open(url);
      const n = 60;
      const appended = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          (i % 2 ? a : b).appendAudit({ actor: `web:user${i}`, action: 'command.status', text: `#${i}` }),
        ),
      );
      expect(appended.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: n }, (_, i) => i + 1),
      );
      expect(await a.verifyAudit()).toEqual({ ok: true, checked: n });
      const listed = await b.listAudit({ limit: 1000 });
      expect(new Set(listed.map((e) => e.text)).size).toBe(n);
    });

    it('verifies a chain longer than one read batch', async () => {
      const url = await h.freshUrl('audit_long');
      const store = await open(url);
      for (let i = 0; i < 1_100; i += 1)
        await store.appendAudit({ actor: 'bot', action: 'tick', result: String(i) });
      expect(await store.verifyAudit()).toEqual({ ok: true, checked: 1_100 });
      await rawSql(url, 'update audit set result = ? where seq = ?', ['x', 1_050]);
      expect(await store.verifyAudit()).toMatchObject({
        ok: false,
        checked: 1_049,
        firstBroken: { seq: 1_050 },
      });
    });
  });
}
