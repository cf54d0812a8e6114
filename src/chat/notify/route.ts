import type { NotificationEvent, NotificationRoute } from '../../core/index.js';
import { matchesAny } from '../../util/glob.js';

/**
 * Routes that want this event for this app (globs on apps and environments; empty lists mean
 * every). A notice about no app (a refused wheelhouse.yaml concerns every app) goes to every
 * route that wants the event.
 */
export function matchRoutes(
  routes: readonly NotificationRoute[],
  event: NotificationEvent,
  app: { name: string; environment: string } | undefined,
): NotificationRoute[] {
  return routes.filter(
    (route) =>
      (route.events.length === 0 || route.events.includes(event) || route.events.includes('*')) &&
      (app === undefined ||
        ((route.apps.length === 0 || matchesAny(route.apps, app.name)) &&
          (route.environments.length === 0 || matchesAny(route.environments, app.environment)))),
  );
}
