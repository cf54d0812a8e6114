import type { DesiredResource, LiveResource } from '../core/index.js';
import type { ResourceHealth } from './aggregate.js';

/**
 * Pairs what Git declares with what the driver observed, for `aggregateHealth`: every desired
 * resource that is not a hook, with its live health, or `Missing` when the target does not have
 * it. Hooks are left out (their outcome is the sync's result, not the app's health) unless they
 * are all the app declares (an app of one migration Job): then their health is the app's. Live
 * resources Git no longer declares are left out too (they await prune).
 */
export function resourceHealths(
  desired: readonly DesiredResource[],
  live: readonly LiveResource[],
): ResourceHealth[] {
  const byKey = new Map(live.map((resource) => [resource.key, resource]));
  const workloads = desired.filter((resource) => resource.hook === undefined);
  return (workloads.length > 0 ? workloads : desired).map((resource) => ({
    key: resource.key,
    kind: resource.kind,
    name: resource.metadata.name,
    health: byKey.get(resource.key)?.health ?? { status: 'Missing', message: 'not found on the target' },
    annotations: resource.metadata.annotations,
  }));
}
