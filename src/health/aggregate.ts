import type { Health } from '../core/index.js';
import { compareHealth } from './order.js';
import { HEALTH_ANNOTATION, healthOverride } from './overrides.js';

/** One resource's health as input to an app's aggregate. */
export interface ResourceHealth {
  key: string;
  kind: string;
  name: string;
  health: Health;
  /** The resource's annotations (for `wheelhouse/health: ignore`). */
  annotations?: Readonly<Record<string, string>> | undefined;
}

/**
 * An app's health: its worst resource's. The message names that resource (and how many more
 * share its status). No resources at all is `Missing`; resources that are all ignored by
 * `wheelhouse/health: ignore` count as `Healthy`.
 */
export function aggregateHealth(resources: readonly ResourceHealth[]): Health {
  if (resources.length === 0) {
    return { status: 'Missing', message: 'the app has no resources on its target' };
  }
  const counted = resources.filter((resource) => healthOverride(resource.annotations) !== 'ignore');
  if (counted.length === 0) {
    return {
      status: 'Healthy',
      message: `all ${resources.length} resources are excluded from health by ${HEALTH_ANNOTATION}: ignore`,
    };
  }
  let worstOne = counted[0] as ResourceHealth;
  for (const resource of counted) {
    if (compareHealth(resource.health.status, worstOne.health.status) > 0) worstOne = resource;
  }
  const status = worstOne.health.status;
  if (status === 'Healthy') {
    return {
      status,
      message:
        counted.length === 1
          ? `${label(worstOne)} is Healthy`
          : `all ${counted.length} resources are Healthy`,
    };
  }
  const others = counted.filter(
    (resource) => resource !== worstOne && resource.health.status === status,
  ).length;
  const detail = worstOne.health.message ? `: ${worstOne.health.message}` : '';
  const more = others > 0 ? ` (and ${others} more ${status})` : '';
  return { status, message: `${label(worstOne)} is ${status}${detail}${more}` };
}

function label(resource: ResourceHealth): string {
  return `${resource.kind} ${resource.name}`;
}
