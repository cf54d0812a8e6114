import type { EventBus, Logger, ResourceChange } from '../../core/index.js';
import { shortSha } from '../../util/index.js';

/** What `up` tells the person watching the terminal, from the engine's events. */
export function narrate(events: EventBus, log: Logger): () => void {
  return events.subscribe((event) => {
    if (event.replica !== undefined) return; // narrated by the replica that did it
    switch (event.type) {
      case 'sync.started':
        log.info(
          { app: event.app },
          `${event.app}: syncing ${shortSha(event.revision)} (asked by ${event.actor})`,
        );
        break;
      case 'sync.progress':
        log.debug({ app: event.app }, `${event.app}: ${event.message}`);
        break;
      case 'sync.finished': {
        const summary = summarize(event.changes);
        const health = event.health ? `, ${event.health.status}` : '';
        const line = `${event.app}: sync ${event.result} at ${shortSha(event.revision)}${summary ? ` (${summary})` : ''}${health}`;
        if (event.result === 'succeeded') log.info({ app: event.app }, line);
        else log.warn({ app: event.app }, `${line}: ${event.record.messages.at(-1) ?? ''}`);
        break;
      }
      case 'drift.detected':
        log.warn(
          { app: event.app },
          `${event.app}: drift detected: ${event.resources.map((r) => `${r.key} (${r.reason})`).join('; ')}`,
        );
        break;
      case 'health.changed':
        log.info(
          { app: event.app },
          `${event.app}: health ${event.from.status} -> ${event.to.status}${event.to.message ? `: ${event.to.message}` : ''}`,
        );
        break;
      case 'source.updated':
        log.info(
          `new revision ${shortSha(event.revision)} in ${event.repo}${event.apps.length ? ` (apps: ${event.apps.join(', ')})` : ''}`,
        );
        break;
      case 'source.failed':
        log.warn(`cannot fetch ${event.repo}: ${event.message}`);
        break;
      default:
        break;
    }
  });
}

function summarize(changes: readonly ResourceChange[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) {
    if (change.action === 'unchanged') continue;
    counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  }
  return [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
}
