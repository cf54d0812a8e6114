import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { settleInterrupted } from '../../src/access/settle-interrupted.js';
import { silentLogger } from '../../src/core/index.js';
import { processStartTime } from '../../src/util/index.js';
import { sqliteStores } from '../support/sqlite-store.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue 12, item 5: which pending intents a start settles. Only requests whose process is gone;
 * a replica's request that still runs (on another machine, or in a live process here) is left.
 */
describe('settling interrupted requests', () => {
  const stores = sqliteStores();
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  const intent = (requestId: string, runner: Record<string, unknown>) => ({
    actor: 'web:alice',
    action: 'command.set',
    app: 'web',
    decision: 'allowed' as const,
    result: `pending: set env web/web K (${requestId})`,
    details: { phase: 'intent', requestId, runner },
  });

  it('settles a dead process’s intent, leaves live and recent other-machine ones', async () => {
    const store = await stores();
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(live);
    const livePid = live.pid ?? 0;
    const liveStart = await waitFor('the live process', () => processStartTime(livePid));
    const dead = await store.appendAudit(
      intent('dead', { host: hostname(), pid: 999_999_999, startTime: '1' }),
    );
    await store.appendAudit(intent('live', { host: hostname(), pid: livePid, startTime: liveStart }));
    await store.appendAudit(intent('elsewhere', { host: 'another-replica', pid: 1 }));
    const done = await store.appendAudit(intent('done', { host: hostname(), pid: 999_999_999 }));
    await store.appendAudit({
      actor: 'web:alice',
      action: 'command.set',
      result: 'ok',
      details: { intentSeq: done.seq },
    });

    const looked: string[] = [];
    const settled = await settleInterrupted({
      store,
      log: silentLogger,
      adapter: () => undefined,
      findCommit: async (id) => {
        looked.push(id);
        return undefined;
      },
    });
    expect(settled.map((e) => e.details?.intentSeq)).toEqual([dead.seq]);
    expect(settled[0]?.result).toMatch(/^interrupted: .*nothing reached Git, so ask again$/);
    expect(looked).toEqual(['dead']);

    // Hours later the other machine's request counts as interrupted too; the dead one is not settled twice.
    const later = await settleInterrupted({
      store,
      log: silentLogger,
      adapter: () => undefined,
      findCommit: async () => 'c'.repeat(40),
      now: () => new Date(Date.now() + 7 * 60 * 60 * 1000),
    });
    expect(later.map((e) => e.details?.requestId)).toEqual(['elsewhere']);
    expect(later[0]?.details).toMatchObject({ commit: 'c'.repeat(40) });
    expect((await store.verifyAudit()).ok).toBe(true);
  });
});
