import type { NotificationRoute } from '../../core/index.js';
import { matchesAny } from '../../util/glob.js';

/** The events routes can name. */
export const NOTIFICATION_EVENTS = [
  'sync.succeeded',
  'sync.failed',
  'health.degraded',
  'drift.detected',
  'approval.requested',
] as const;

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Routes that want this event for this app (globs on apps and environments; empty lists mean every). */
export function matchRoutes(
  routes: readonly NotificationRoute[],
  event: NotificationEvent,
  app: { name: string; environment: string },
): NotificationRoute[] {
  return routes.filter(
    (route) =>
      (route.events.length === 0 || route.events.includes(event) || route.events.includes('*')) &&
      (route.apps.length === 0 || matchesAny(route.apps, app.name)) &&
      (route.environments.length === 0 || matchesAny(route.environments, app.environment)),
  );
}
