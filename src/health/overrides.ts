/**
 * Per-resource health overrides, set by annotations in the manifest:
 * `wheelhouse/health: ignore` leaves the resource out of its app's health and out of the
 * runner's wait for health.
 */

export const HEALTH_ANNOTATION = 'wheelhouse/health';

export type HealthOverride = 'ignore';

const OVERRIDES: readonly HealthOverride[] = ['ignore'];

/** The override an annotation map asks for, or undefined (unknown values are not overrides). */
export function healthOverride(
  annotations: Readonly<Record<string, string>> | undefined,
): HealthOverride | undefined {
  const value = annotations?.[HEALTH_ANNOTATION]?.trim();
  return OVERRIDES.find((override) => override === value);
}

export function isHealthIgnored(resource: {
  metadata?: { annotations?: Readonly<Record<string, string>> | undefined };
}): boolean {
  return healthOverride(resource.metadata?.annotations) === 'ignore';
}
