import { errorMessage, type Health } from '../core/index.js';
import { diffResources, syncStatusOf } from '../diff/index.js';
import { aggregateHealth, resourceHealths } from '../health/index.js';
import { publishAppUpdated } from './app-updated.js';
import type { EngineContext } from './context.js';
import { recordHealthChange } from './health-history.js';
import type { AppRuntime } from './runtime.js';

/**
 * Observe the app's live state (drivers serve it from memory), diff it against the desired state
 * and update the app's sync status and health. Announces what changed; returns the keys that
 * drifted (OutOfSync while the desired revision is already applied).
 */
export async function refreshLive(ctx: EngineContext, rt: AppRuntime): Promise<string[]> {
  const before = statusSignature(rt);
  const previousHealth = rt.health;
  // Read before observing: a change while we observe makes the next check observe again.
  const version = rt.driver.liveVersion?.(rt.spec.name);
  rt.lastClean = undefined;
  try {
    rt.live = await rt.driver.observe(rt.spec.name);
  } catch (err) {
    rt.health = {
      status: 'Unknown',
      message: `cannot observe target ${rt.spec.target}: ${errorMessage(err)}`,
    };
    rt.syncStatus = 'Unknown';
    announce(ctx, rt, before, previousHealth);
    return [];
  }
  if (rt.desired) {
    rt.changes = diffResources(rt.desired.resources, rt.live, { digest: rt.desired.digest });
    // What Git declares now cannot be compared: it does not render (the live state is the old one's).
    rt.syncStatus = rt.renderError ? 'Unknown' : syncStatusOf(rt.changes);
    rt.health = aggregateHealth(resourceHealths(rt.desired.resources, rt.live));
  } else {
    rt.changes = [];
    rt.syncStatus = 'Unknown';
    rt.health = aggregateHealth(
      rt.live.map((l) => ({
        key: l.key,
        kind: l.kind,
        name: l.name,
        health: l.health,
        annotations: undefined,
      })),
    );
  }
  announce(ctx, rt, before, previousHealth);
  const outOfSync = rt.changes.filter((c) => c.action !== 'unchanged').map((c) => c.key);
  if (version !== undefined && rt.desired && !rt.renderError && outOfSync.length === 0)
    rt.lastClean = { digest: rt.desired.digest, version, at: ctx.now().getTime() };
  return outOfSync;
}

function announce(ctx: EngineContext, rt: AppRuntime, before: string, previousHealth: Health): void {
  if (previousHealth.status !== rt.health.status) {
    recordHealthChange(ctx, rt.spec.name, previousHealth, rt.health);
    ctx.events.publish({ type: 'health.changed', app: rt.spec.name, from: previousHealth, to: rt.health });
  }
  if (statusSignature(rt) !== before) publishAppUpdated(ctx, rt);
}

function statusSignature(rt: AppRuntime): string {
  return JSON.stringify([
    rt.syncStatus,
    rt.health,
    rt.state.lastGoodRevision,
    rt.declared?.revision,
    rt.renderError?.revision,
    rt.changes.map((c) => [c.key, c.action, c.drift]),
    rt.live.map((l) => [l.key, l.health.status, l.health.message]),
  ]);
}
