import { describe, expect, it } from 'vitest';
import type { Approval } from '../../../src/core/index.js';
import { minute, rejection, type StoreHarness, useStores } from './harness.js';

function approval(id: string, overrides: Partial<Approval> = {}): Approval {
  return {
    id,
    app: 'web',
    environment: 'prod',
    command: 'sync',
    args: { app: 'web', revision: 'abc123' },
    text: 'sync web to abc123',
    requester: 'web:alice',
    required: 1,
    createdAt: minute(0),
    expiresAt: minute(60),
    status: 'pending',
    decisions: [],
    ...overrides,
  };
}

export function approvalContract(h: StoreHarness): void {
  describe('approvals', () => {
    const open = useStores();

    it('round-trips, lists by status and app, refuses duplicate ids', async () => {
      const store = await open(await h.freshUrl('approvals_basic'));
      const full = approval('ap1', {
        origin: { platform: 'web', channel: 'ops', thread: 't1', messageId: 'm1' },
        preview: '~ Process web: spec.env.PORT 8080 → 8081',
      });
      await store.insertApproval(full);
      await store.insertApproval(approval('ap2', { app: 'api', createdAt: minute(1) }));
      await store.insertApproval(approval('ap3', { status: 'denied', createdAt: minute(2) }));
      expect(await store.getApproval('ap1')).toEqual(full);
      expect(await store.getApproval('nope')).toBeUndefined();
      expect((await store.listApprovals()).map((a) => a.id)).toEqual(['ap1', 'ap2', 'ap3']);
      expect((await store.listApprovals({ status: 'pending' })).map((a) => a.id)).toEqual(['ap1', 'ap2']);
      expect((await store.listApprovals({ status: 'pending', app: 'api' })).map((a) => a.id)).toEqual([
        'ap2',
      ]);
      await expect(store.insertApproval(full)).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('adds decisions and moves the status only from the expected one', async () => {
      const store = await open(await h.freshUrl('approvals_decide'));
      await store.insertApproval(approval('ap', { required: 2 }));
      const bob = { actor: 'web:bob', decision: 'approve' as const, at: minute(5) };
      const afterBob = await store.decideApproval('ap', 'pending', 'pending', bob);
      expect(afterBob.decisions).toEqual([bob]);
      const again = await rejection(
        store.decideApproval('ap', 'pending', 'pending', { ...bob, at: minute(6) }),
      );
      expect(again.code).toBe('CONFLICT');
      expect(again.message).toContain('web:bob');

      const carol = { actor: 'web:carol', decision: 'approve' as const, at: minute(7), reason: 'looks fine' };
      const approved = await store.decideApproval('ap', 'pending', 'approved', carol);
      expect(approved).toMatchObject({ status: 'approved', decisions: [bob, carol] });
      expect(await store.getApproval('ap')).toEqual(approved);

      const stale = await rejection(store.decideApproval('ap', 'pending', 'denied'));
      expect(stale.code).toBe('CONFLICT');
      expect(stale.message).toMatch(/is approved, not pending/);
      const executed = await store.decideApproval('ap', 'approved', 'executed');
      expect(executed.status).toBe('executed');
      expect(executed.decisions).toHaveLength(2);
      await expect(store.decideApproval('ghost', 'pending', 'approved')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('lets exactly one of two concurrent approvers win, every time', async () => {
      const url = await h.freshUrl('approvals_race');
      const a = await open(url);
      const b = await open(url);
      for (let round = 0; round < 8; round += 1) {
        const id = `race-${round}`;
        await a.insertApproval(approval(id));
        const results = await Promise.allSettled([
          a.decideApproval(id, 'pending', 'approved', {
            actor: 'web:bob',
            decision: 'approve',
            at: minute(1),
          }),
          b.decideApproval(id, 'pending', 'approved', {
            actor: 'web:carol',
            decision: 'approve',
            at: minute(1),
          }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.status === 'rejected' && lost[0].reason).toMatchObject({ code: 'CONFLICT' });
        const final = await a.getApproval(id);
        expect(final?.status).toBe('approved');
        expect(final?.decisions).toHaveLength(1);
      }
    });
  });
}
