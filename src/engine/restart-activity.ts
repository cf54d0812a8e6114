import type { DriverEvent, EventBus, Logger, Store } from '../core/index.js';
import { errorMessage } from '../core/index.js';

/** The actor of supervisor entries in the activity: nobody asked, the target's supervisor did it. */
export const SUPERVISOR_ACTOR = 'wheelhouse:supervisor';
export const RESTART_ACTION = 'supervisor.restart';

/** Restarts of one replica closer together than this are one episode: one activity entry. */
const EPISODE_MS = 5 * 60_000;

export interface RestartActivityDeps {
  store: Store;
  events: EventBus;
  now: () => Date;
  log: Logger;
}

/**
 * Writes a supervisor's restarts into the app's activity (the audit log, which the timeline
 * shows): "web replica-1 restarted after exited with code 1 (3rd restart)". A crash loop does not
 * flood it: restarts of one replica within `EPISODE_MS` of the entry that opened the episode are
 * folded, and the next entry after the episode says how many were folded.
 */
export function createRestartActivity(deps: RestartActivityDeps): (event: DriverEvent) => void {
  const episodes = new Map<string, { openedAt: number; folded: number }>();
  return (event) => {
    const restart = event.restart;
    if (!restart) return;
    const id = `${event.key}#${restart.replica}`;
    const at = deps.now().getTime();
    const episode = episodes.get(id);
    if (episode && at - episode.openedAt < EPISODE_MS) {
      episode.folded++;
      return;
    }
    episodes.set(id, { openedAt: at, folded: 0 });
    const name = event.key.split('/').at(-1) ?? event.key;
    const folded = episode && episode.folded > 0 ? `; ${episode.folded} more restart(s) folded before` : '';
    const result = `${name} ${restart.replica} restarted after it ${restart.after} (${ordinal(restart.count)} restart${folded})`;
    deps.store
      .appendAudit({
        actor: SUPERVISOR_ACTOR,
        action: RESTART_ACTION,
        app: event.app,
        result,
        details: { resource: event.key, replica: restart.replica, restarts: restart.count },
      })
      .then((entry) => deps.events.publish({ type: 'audit.appended', entry }))
      .catch((err: unknown) =>
        deps.log.warn(
          { app: event.app, err: errorMessage(err) },
          'could not record a restart in the activity',
        ),
      );
  };
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st … */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
