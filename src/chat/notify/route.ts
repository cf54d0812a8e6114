import type { NotificationEvent, NotificationRoute } from '../../core/index.js';
import { matchesAny } from '../../util/glob.js';

/**
 * A recovery closes the thread a `health.degraded` notice opened: a route that took the one
 * hears the other, whether or not it names `health.recovered`.
 */
const IMPLIED_BY: Partial<Record<NotificationEvent, NotificationEvent>> = {
  'health.recovered': 'health.degraded',
};

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
      (route.events.length === 0 ||
        route.events.includes(event) ||
        route.events.includes('*') ||
        (IMPLIED_BY[event] !== undefined && route.events.includes(IMPLIED_BY[event]))) &&
      (app === undefined || routeTakesApp(route, app)),
  );
}

/** Whether the route's app and environment globs take this app (whatever the event). */
export function routeTakesApp(route: NotificationRoute, app: { name: string; environment: string }): boolean {
  return (
    (route.apps.length === 0 || matchesAny(route.apps, app.name)) &&
    (route.environments.length === 0 || matchesAny(route.environments, app.environment))
  );
}
