import { engineError, isNotFound, statusOf } from './client.js';
import type { ContainerState } from './container-state.js';
import { LABEL } from './labels.js';
import type { Runtime } from './runtime.js';

/** Containers of one resource, read fresh from the engine (not the cache) and stored in the cache. */
export async function listContainersOf(rt: Runtime, key: string): Promise<ContainerState[]> {
  let summaries: { Id: string }[];
  try {
    summaries = await rt.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.target}=${rt.target}`, `${LABEL.resource}=${key}`] },
    });
  } catch (err) {
    throw engineError(`cannot list containers of ${key}`, err, { resource: key });
  }
  const fresh = new Set(summaries.map((s) => s.Id));
  for (const cached of rt.cache.containersOf(key)) {
    if (!fresh.has(cached.id)) rt.cache.forget(cached.id);
  }
  const states = await Promise.all(summaries.map((s) => rt.refresh(s.Id)));
  return states.filter((s): s is ContainerState => s !== undefined);
}

/** Stop gracefully (the spec's signal and timeout); a container already stopped is fine. */
export async function stopContainer(rt: Runtime, c: ContainerState, timeoutSeconds: number): Promise<void> {
  rt.busy.markOurs(c.id);
  try {
    await rt.docker.getContainer(c.id).stop({ t: timeoutSeconds });
  } catch (err) {
    const status = statusOf(err);
    if (status !== 304 && status !== 404) {
      throw engineError(`cannot stop container ${c.name} of ${c.owned.key}`, err, {
        app: c.owned.app,
        resource: c.owned.key,
      });
    }
  }
  await rt.refresh(c.id);
}

/** Stop, then remove with its anonymous volumes. */
export async function removeContainer(rt: Runtime, c: ContainerState, timeoutSeconds: number): Promise<void> {
  if (c.running) await stopContainer(rt, c, timeoutSeconds);
  rt.busy.markOurs(c.id);
  try {
    await rt.docker.getContainer(c.id).remove({ force: true, v: true });
  } catch (err) {
    if (!isNotFound(err)) {
      throw engineError(`cannot remove container ${c.name} of ${c.owned.key}`, err, {
        app: c.owned.app,
        resource: c.owned.key,
      });
    }
  }
  rt.cache.forget(c.id);
}

export async function startContainer(rt: Runtime, c: ContainerState): Promise<void> {
  try {
    await rt.docker.getContainer(c.id).start();
  } catch (err) {
    if (statusOf(err) !== 304) {
      throw engineError(`cannot start container ${c.name} of ${c.owned.key}`, err, {
        app: c.owned.app,
        resource: c.owned.key,
      });
    }
  }
  rt.cache.stoppedByRequest.delete(c.id);
  await rt.refresh(c.id);
}

/** The stop timeout an owned container was created with (from its recorded spec). */
export function stopTimeoutOf(c: ContainerState): number {
  const value = c.owned.spec?.stopTimeoutSeconds;
  return typeof value === 'number' ? value : 10;
}
