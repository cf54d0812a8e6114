import type { DesiredResource, LiveResource } from '../core/index.js';
import type { ResourceHealth } from './aggregate.js';

/**
 * Pairs what Git declares with what the driver observed, for `aggregateHealth`: every desired
 * resource that is not a hook, with its live health, or `Missing` when the target does not have
 * it. Hooks are left out (their outcome is the sync's result, not the app's health), and so are
 * live resources Git no longer declares (they await prune).
 */
export function resourceHealths(
  desired: readonly DesiredResource[],
  live: readonly LiveResource[],
): ResourceHealth[] {
  const byKey = new Map(live.map((resource) => [resource.key, resource]));
  return desired
    .filter((resource) => resource.hook === undefined)
    .map((resource) => ({
      key: resource.key,
      kind: resource.kind,
      name: resource.metadata.name,
      health: byKey.get(resource.key)?.health ?? { status: 'Missing', message: 'not found on the target' },
      annotations: resource.metadata.annotations,
    }));
}
