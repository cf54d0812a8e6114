/**
 * What each delivery figure means, in the words shown next to it (dashboard, CLI, chat) and in
 * docs/metrics.md. One place, so every surface says the same.
 */
export const DELIVERY_DEFINITIONS = {
  deploymentFrequency:
    'Deployments per day: successful syncs that applied a new tree of the app’s path (re-syncs of the same tree, dry runs and cancelled syncs do not count).',
  leadTime:
    'Lead time for changes: from a commit’s author time to the end of the first successful sync that applied it; commits that arrive together each count, with the same end. Median and 90th percentile.',
  changeFailureRate:
    'Change failure rate: the share of changes (syncs of a new tree) whose sync failed, or that were rolled back or left the app Degraded before the next change and within the failure window.',
  timeToRestore:
    'Time to restore: from the app becoming Degraded to Healthy again; going back and forth between Degraded and Progressing is one incident. Counted when it ends; still-open incidents are listed as open.',
} as const;

export type DeliveryFigureName = keyof typeof DELIVERY_DEFINITIONS;
