/** The buttons a row of the history offers. Pure. */
export interface HistoryOffers {
  /** “Sync to this revision”: pins the app there. */
  sync: boolean;
  /** “Roll back to here”: commits a revert to it in Git. */
  rollBack: boolean;
}

/**
 * A succeeded, real sync offers to sync to its revision unless that is what runs, and to roll back
 * to it unless it is what runs now or what Git declares already (either would change nothing a
 * person means by "roll back"). When the latest sync failed, the app's last good revision is not
 * cleanly what runs: rolling back to it is the way out, so it is offered there.
 */
export function historyOffers(
  record: { revision: string; result: string; dryRun: boolean },
  app: { running: string | undefined; desired: string | undefined; latestFailed: boolean },
): HistoryOffers {
  if (record.dryRun || record.result !== 'succeeded') return { sync: false, rollBack: false };
  const runsNow = record.revision === app.running && !app.latestFailed;
  return {
    sync: record.revision !== app.running,
    rollBack: !runsNow && record.revision !== app.desired,
  };
}
