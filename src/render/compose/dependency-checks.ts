import type { Dependency } from './depends-on.js';
import type { Reader } from './reader.js';

/**
 * What `depends_on` conditions ask of the services they name: the services others wait on to run
 * to completion (returned), and a problem for each `service_healthy` wait on a service without a
 * healthcheck (reported on `reader`).
 */
export function servicesToComplete(
  reader: Reader,
  dependencies: ReadonlyMap<string, readonly Dependency[]>,
  services: Readonly<Record<string, unknown>>,
): Set<string> {
  const mustComplete = new Set<string>();
  for (const deps of dependencies.values()) {
    for (const dep of deps) {
      if (dep.condition === 'service_completed_successfully') mustComplete.add(dep.service);
      if (dep.condition !== 'service_healthy') continue;
      const target = services[dep.service];
      const check =
        target && typeof target === 'object' ? (target as Record<string, unknown>).healthcheck : undefined;
      const disabled =
        check && typeof check === 'object' && (check as Record<string, unknown>).disable === true;
      if (target !== undefined && (check === undefined || disabled)) {
        reader.issue(
          [...dep.path, 'condition'],
          `waits for "${dep.service}" to be healthy, but ${dep.service} has no healthcheck — add one to ${dep.service} or use condition: service_started`,
        );
      }
    }
  }

  return mustComplete;
}
