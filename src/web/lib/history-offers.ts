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
 * person means by "roll back").
 */
export function historyOffers(
  record: { revision: string; result: string; dryRun: boolean },
  app: { running: string | undefined; desired: string | undefined },
): HistoryOffers {
  if (record.dryRun || record.result !== 'succeeded') return { sync: false, rollBack: false };
  return {
    sync: record.revision !== app.running,
    rollBack: record.revision !== app.running && record.revision !== app.desired,
  };
}
