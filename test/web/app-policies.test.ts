// Issue 14, item 13: the app header said "auto-sync on" while self-heal was off, so an OutOfSync
// app looked stuck; and the history offered "Roll back to here" on the row that runs now.
import { describe, expect, it } from 'vitest';
import { historyOffers } from '../../src/web/lib/history-offers.js';
import { syncPolicyTags } from '../../src/web/lib/sync-policy.js';

describe('the app header shows both sync policies', () => {
  it('says self-heal is off when it is, beside auto-sync on (was: only "auto-sync on")', () => {
    expect(syncPolicyTags({ autoSync: true, selfHeal: false, locked: false })).toEqual([
      'auto-sync on',
      'self-heal off: drift stays until a sync',
    ]);
    expect(syncPolicyTags({ autoSync: true, selfHeal: true, locked: false })).toEqual([
      'auto-sync on',
      'self-heal on',
    ]);
  });

  it('says manual sync, or paused by a lock, where self-heal cannot act', () => {
    expect(syncPolicyTags({ autoSync: false, selfHeal: true, locked: false })).toEqual(['manual sync']);
    expect(syncPolicyTags({ autoSync: true, selfHeal: true, locked: true })).toEqual([
      'auto-sync paused by the lock',
    ]);
  });
});

describe('the history buttons', () => {
  const ok = (revision: string) => ({ revision, result: 'succeeded', dryRun: false });

  it('offers no "Roll back to here" on the row that runs now, also when Git is ahead (was offered)', () => {
    expect(historyOffers(ok('b'), { running: 'b', desired: 'c', latestFailed: false })).toEqual({
      sync: false,
      rollBack: false,
    });
  });

  it('offers both on an older revision, and only a sync on the one Git declares', () => {
    expect(historyOffers(ok('a'), { running: 'b', desired: 'c', latestFailed: false })).toEqual({
      sync: true,
      rollBack: true,
    });
    expect(historyOffers(ok('c'), { running: 'b', desired: 'c', latestFailed: false })).toEqual({
      sync: true,
      rollBack: false,
    });
  });

  it('after a failed sync, offers "Roll back to here" on the last good revision: the way out', () => {
    expect(historyOffers(ok('b'), { running: 'b', desired: 'c', latestFailed: true })).toEqual({
      sync: false,
      rollBack: true,
    });
  });

  it('offers nothing on a failed sync or a dry run', () => {
    expect(
      historyOffers(
        { revision: 'a', result: 'failed', dryRun: false },
        { running: 'b', desired: 'b', latestFailed: false },
      ),
    ).toEqual({ sync: false, rollBack: false });
    expect(
      historyOffers(
        { revision: 'a', result: 'succeeded', dryRun: true },
        { running: 'b', desired: 'b', latestFailed: false },
      ),
    ).toEqual({ sync: false, rollBack: false });
  });
});
