import {
  HEALTH_CODES,
  type Health,
  type LiveResource,
  parseResourceKey,
  type ResourceNode,
} from '../../core/index.js';
import { judgeContainer } from './container-health.js';
import { containerNode } from './container-node.js';
import type { ContainerState } from './container-state.js';
import type { OwnedObject, Tombstone } from './live-cache.js';

/** The worse of two; on a tie the one that says why. */
export function worse(a: Health, b: Health): Health {
  const ia = HEALTH_CODES.indexOf(a.status);
  const ib = HEALTH_CODES.indexOf(b.status);
  if (ib !== ia) return ib > ia ? b : a;
  return a.message === undefined ? b : a;
}

function identity(
  key: string,
  app: string,
  fallbackKind: string,
): Pick<LiveResource, 'key' | 'kind' | 'name' | 'namespace' | 'app'> {
  const parsed = parseResourceKey(key);
  return {
    key,
    app,
    kind: parsed?.kind ?? fallbackKind,
    name: parsed?.name ?? key,
    namespace: parsed?.namespace ?? app,
  };
}

/**
 * One Container resource as observed: the spec its containers were created with, the worst replica
 * health, and drift for anything the spec does not show (a replica missing, stopped, extra, or on
 * an older spec). `logTails` supplies last log lines for replicas that are failing. Pure.
 */
export function containerLive(
  key: string,
  containers: readonly ContainerState[],
  now: number,
  stoppedByRequest: ReadonlySet<string>,
  logTails: ReadonlyMap<string, string[]>,
): LiveResource {
  const first = containers[0];
  const app = first?.owned.app ?? '';
  const sorted = [...containers].sort(
    (a, b) => (a.owned.replica ?? 1e9) - (b.owned.replica ?? 1e9) || a.name.localeCompare(b.name),
  );
  const withSpec = sorted.find((c) => c.owned.spec !== null);
  const spec = withSpec?.owned.spec ?? null;
  const expected = typeof spec?.replicas === 'number' ? spec.replicas : 1;
  const drift: string[] = [];
  let health: Health = { status: 'Healthy' };
  const messages: string[] = [];
  if (sorted.some((c) => c.owned.spec === null)) {
    drift.push('ownership labels were edited by hand (spec label does not match its hash)');
  }
  if (new Set(sorted.map((c) => c.owned.hash)).size > 1) {
    drift.push('replicas run different specs (an update did not finish)');
  }
  const seen = new Set<number>();
  const children: ResourceNode[] = [];
  for (const c of sorted) {
    const replica = c.owned.replica;
    if (replica === undefined || replica >= expected || seen.has(replica)) {
      drift.push(`extra container ${c.name}`);
      children.push(containerNode(c, { status: 'Unknown', message: 'extra: not declared by the spec' }));
      continue;
    }
    seen.add(replica);
    const verdict = judgeContainer(c, now);
    let h = verdict.health;
    if (verdict.kind === 'failed') {
      const tail = logTails.get(c.id);
      if (tail && tail.length > 0)
        h = { status: h.status, message: `${h.message ?? ''}; last log lines:\n${tail.join('\n')}` };
    }
    if (stoppedByRequest.has(c.id) && !c.running) {
      drift.push(`container ${c.name} was stopped by hand`);
      h = { status: 'Degraded', message: `${c.name} was stopped by hand` };
    } else if (verdict.kind === 'failed' && 'drift' in verdict && verdict.drift) {
      drift.push(verdict.drift);
    }
    if (h.message && h.status !== 'Healthy') messages.push(h.message);
    health = worse(health, h);
    children.push(containerNode(c, h));
  }
  for (let replica = 0; replica < expected; replica++) {
    if (!seen.has(replica)) {
      drift.push(`replica ${replica + 1}/${expected} is missing (container removed)`);
      health = worse(health, { status: 'Missing', message: `replica ${replica + 1}/${expected} is missing` });
    }
  }
  if (health.status !== 'Healthy' && messages.length > 1)
    health = { status: health.status, message: messages.join('\n') };
  const live: LiveResource = {
    ...identity(key, app, 'Container'),
    spec,
    health,
    children,
    status: {
      containers: sorted.map((c) => ({
        name: c.name,
        id: c.id.slice(0, 12),
        state: c.status,
        replica: c.owned.replica,
        image: c.image,
        imageId: c.imageId,
        restarts: c.restartCount,
        ...(c.health ? { health: c.health.status } : {}),
      })),
    },
  };
  if (drift.length > 0) live.drift = drift.join('; ');
  return live;
}

/** A network or volume the driver owns: present means healthy; edited labels are drift. */
export function objectLive(kind: 'Network' | 'Volume', object: OwnedObject): LiveResource {
  const live: LiveResource = {
    ...identity(object.owned.key, object.owned.app, kind),
    spec: object.owned.spec,
    health: { status: 'Healthy' },
    status: { name: object.name },
  };
  if (object.owned.spec === null)
    live.drift = 'ownership labels were edited by hand (spec label does not match its hash)';
  return live;
}

/** A resource whose objects were all removed by hand while the driver watched. */
export function tombstoneLive(stone: Tombstone): LiveResource {
  return {
    ...identity(stone.key, stone.app, 'Container'),
    spec: stone.spec,
    health: { status: 'Missing', message: stone.reason },
    drift: stone.reason,
  };
}
