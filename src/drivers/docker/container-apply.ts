import { homedir } from 'node:os';
import type { ApplyContext, ApplyOutcome, DesiredResource } from '../../core/index.js';
import { WheelhouseError } from '../../core/index.js';
import { engineError, statusOf } from './client.js';
import { claimsHostPorts, containerName, createOptions, networkAttachments } from './container-config.js';
import { judgeContainer } from './container-health.js';
import { endpointConfig } from './container-host-config.js';
import {
  listContainersOf,
  removeContainer,
  startContainer,
  stopContainer,
  stopTimeoutOf,
} from './container-ops.js';
import type { ContainerState } from './container-state.js';
import { ensureBuiltImage } from './image-build.js';
import { ensureImage } from './images.js';
import { type ContainerSpec, containerSchema } from './kinds/index.js';
import { ownershipLabels, specHash } from './labels.js';
import { readLogs } from './logs.js';
import { mountDir } from './mount-drift.js';
import { materializeRepoMounts } from './repo-mounts.js';
import type { Runtime } from './runtime.js';
import { parseSpec, resolveSecretEnv } from './spec-parse.js';

/**
 * Annotation: when an apply may return. `started` (default) once running (healthy, when the
 * container has a healthcheck); `completed` once it has exited with code 0 (a one-shot job that
 * others depend on, compose's `service_completed_successfully`).
 */
export const READY_ANNOTATION = 'wheelhouse/ready';
const POLL_MS = 300;
const LOG_TAIL = 20;

interface Rollout {
  rt: Runtime;
  resource: DesiredResource;
  readiness: 'started' | 'completed';
  spec: ContainerSpec;
  hash: string;
  secretValues: Record<string, string>;
  ctx: ApplyContext;
  deadline: number;
  /** The reference containers are created from (see `CreateInput.image`). */
  image: string;
  repoPaths: Record<string, string>;
}

/**
 * Converge one Container resource: keep replicas whose spec hash matches and that run (or ran to
 * completion); recreate the others one at a time, start-first where no fixed host port is
 * claimed, else stop-first; scale down from the highest replica. Resolves once every replica is
 * healthy; a replica that fails stops the roll, and the old container (if any) comes back.
 */
export async function applyContainer(
  rt: Runtime,
  resource: DesiredResource,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const spec = parseSpec(containerSchema, resource);
  const where = { app: resource.app, resource: resource.key };
  if (spec.privileged && !rt.options.allowPrivileged) {
    throw new WheelhouseError(
      'DRIVER_FAILED',
      `${resource.key}: the container asks to run privileged, which target "${rt.target}" does not allow — remove privileged (use cap_add for the capabilities it needs), or set allowPrivileged: true under targets.${rt.target} in wheelhouse.yaml`,
      { details: where },
    );
  }
  const hash = specHash(spec);
  const secretValues = resolveSecretEnv(spec.secretEnv, rt.env, where);
  // Re-applying a tree that ran before (a rollback) runs the image digest it ran then, not
  // whatever the tag points at now.
  const recorded = ctx.recorded;
  const pinned =
    recorded && recorded.image === spec.image && typeof recorded.repoDigest === 'string'
      ? recorded.repoDigest
      : undefined;
  const image = spec.build
    ? await ensureBuiltImage({
        docker: rt.docker,
        build: spec.build,
        trees: spec.sourceTrees,
        image: spec.image,
        ctx,
        where,
      })
    : await ensureImage({
        docker: rt.docker,
        ref: pinned ?? spec.image ?? '',
        policy: spec.pullPolicy,
        options: rt.options,
        env: rt.env,
        ctx,
        where,
      });
  const readiness =
    resource.metadata.annotations?.[READY_ANNOTATION] === 'completed' ? 'completed' : 'started';
  const rollout: Rollout = {
    rt,
    resource,
    readiness,
    spec,
    hash,
    secretValues,
    ctx,
    deadline: Date.now() + rt.options.applyTimeoutSeconds * 1000,
    image: image.ref,
    repoPaths: {},
  };
  // Mounted files edited on the host: written again from the revision, and the containers that
  // mount them recreated (a single-file mount keeps the inode it was started with).
  const mountsDir = mountDir(rt.stateDir, resource.app, resource.metadata.name);
  const mountDrift = rt.mounts.check(mountsDir);
  rollout.repoPaths = await materializeRepoMounts(
    rt.stateDir,
    spec,
    ctx,
    rt.env,
    { ...where, name: resource.metadata.name },
    mountDrift !== undefined,
  );
  rt.mounts.record(
    mountsDir,
    Object.entries(rollout.repoPaths)
      .filter(([source]) => !source.startsWith('env:'))
      .map(([source, hostPath]) => ({ source, hostPath })),
  );
  if (mountDrift) ctx.progress(`${resource.metadata.name}: restored its mounted files (${mountDrift})`);
  const existing = await listContainersOf(rt, resource.key);
  const byReplica = new Map<number, ContainerState[]>();
  const strays: ContainerState[] = [];
  for (const c of existing) {
    const replica = c.owned.replica;
    if (replica === undefined || replica >= spec.replicas) strays.push(c);
    else byReplica.set(replica, [...(byReplica.get(replica) ?? []), c]);
  }
  let changed = 0;
  for (let replica = 0; replica < spec.replicas; replica++) {
    const olds = byReplica.get(replica) ?? [];
    const keep = mountDrift ? undefined : olds.find((c) => isCurrent(rt, c, hash, image.id));
    if (keep) {
      for (const stale of olds.filter((c) => c !== keep))
        await removeContainer(rt, stale, stopTimeoutOf(stale));
      continue;
    }
    changed += 1;
    ctx.progress(
      `${resource.metadata.name}: ${olds.length > 0 ? 'replacing' : 'starting'} replica ${replica + 1}/${spec.replicas}`,
    );
    await rollReplica(rollout, replica, olds);
    ctx.progress(`${resource.metadata.name}: replica ${replica + 1}/${spec.replicas} healthy`);
  }
  strays.sort((a, b) => (b.owned.replica ?? 0) - (a.owned.replica ?? 0));
  for (const stray of strays) {
    ctx.progress(`${resource.metadata.name}: removing ${stray.name}`);
    await removeContainer(rt, stray, stopTimeoutOf(stray));
  }
  rt.cache.tombstones.delete(resource.key);
  if (changed === 0 && strays.length === 0) ctx.log.debug({ resource: resource.key }, 'containers unchanged');
  const facts: Record<string, unknown> = { image: spec.build ? image.ref : spec.image, imageId: image.id };
  if (image.repoDigest) facts.repoDigest = image.repoDigest;
  return { facts };
}

/** Same spec, same image (a tag pulled anew may have moved) and running (or done): leave it alone. */
function isCurrent(rt: Runtime, c: ContainerState, hash: string, imageId: string): boolean {
  if (c.owned.hash !== hash || c.imageId !== imageId || rt.cache.stoppedByRequest.has(c.id)) return false;
  return c.running || judgeContainer(c, Date.now()).kind === 'ready';
}

async function rollReplica(r: Rollout, replica: number, olds: ContainerState[]): Promise<void> {
  const { rt, resource, spec, hash } = r;
  const name = spec.containerName ?? containerName(resource.namespace, resource.metadata.name, replica, hash);
  // A container with this very name runs this spec but is stopped or broken: it goes first.
  for (const same of olds.filter((c) => c.name === name))
    await removeContainer(rt, same, stopTimeoutOf(same));
  const others = olds.filter((c) => c.name !== name);
  const startFirst =
    !claimsHostPorts(spec) &&
    others.every((c) => {
      const old = c.owned.spec === null ? undefined : containerSchema.safeParse(c.owned.spec);
      return old?.success === true && !claimsHostPorts(old.data);
    });
  const wereRunning = others.filter((c) => c.running);
  if (!startFirst) for (const c of wereRunning) await stopContainer(rt, c, stopTimeoutOf(c));
  const created = await createReplica(r, replica, name);
  const failure = await waitReady(r, created, others.length > 0);
  if (failure === undefined) {
    for (const c of others) await removeContainer(rt, c, stopTimeoutOf(c));
    return;
  }
  const tail = await readLogs(rt.docker, { id: created.id, name }, LOG_TAIL).catch(() => []);
  const rolledBack = others.length > 0;
  if (rolledBack) {
    await removeContainer(rt, created, 0);
    if (!startFirst) for (const c of wereRunning) await startContainer(rt, c);
  }
  const lines = tail.map((l) => `  ${l.text}`).join('\n');
  throw new WheelhouseError(
    'DRIVER_FAILED',
    `${resource.key}: replica ${replica + 1}/${spec.replicas} (${name}) did not become healthy: ${failure}.` +
      `${rolledBack ? ' The previous container keeps running.' : ''} Fix the image, command or healthcheck and sync again.` +
      (lines ? `\nLast log lines:\n${lines}` : ''),
    { details: { app: resource.app, resource: resource.key, replica, logTail: tail.map((l) => l.text) } },
  );
}

async function createReplica(r: Rollout, replica: number, name: string): Promise<ContainerState> {
  const { rt, resource, spec } = r;
  const where = { app: resource.app, resource: resource.key };
  const ownership = ownershipLabels({ target: rt.target, app: resource.app, key: resource.key, spec });
  const options = createOptions({
    name,
    spec,
    namespace: resource.namespace,
    resourceName: resource.metadata.name,
    ownership,
    replica,
    secretValues: r.secretValues,
    image: r.image,
    home: homedir(),
    repoPaths: r.repoPaths,
  });
  let id: string;
  try {
    id = (await rt.docker.createContainer(options)).id;
  } catch (err) {
    const hint =
      statusOf(err) === 409
        ? `a container named ${name} already exists; remove it if it is not from Wheelhouse`
        : statusOf(err) === 404
          ? 'a network or volume it needs does not exist; declare it as a Network/Volume resource or mark it external'
          : undefined;
    throw engineError(`cannot create container ${name} for ${resource.key}`, err, where, hint);
  }
  try {
    for (const extra of networkAttachments(spec, resource.namespace, resource.metadata.name).slice(1)) {
      await rt.docker
        .getNetwork(extra.network)
        .connect({ Container: id, EndpointConfig: endpointConfig(extra) });
    }
    await rt.docker.getContainer(id).start();
  } catch (err) {
    const reason = engineError(
      `cannot start container ${name} for ${resource.key}`,
      err,
      where,
      spec.ports.some((p) => p.hostPort !== undefined)
        ? 'is a published host port already in use?'
        : 'check the image, command and mounts',
    );
    rt.busy.markOurs(id);
    await rt.docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
    throw reason;
  }
  const state = await rt.refresh(id);
  if (!state) {
    throw new WheelhouseError(
      'DRIVER_FAILED',
      `container ${name} for ${resource.key} vanished right after it started`,
      {
        details: where,
      },
    );
  }
  return state;
}

/** Poll until the new replica is ready; returns why it is not, or undefined when it is. */
async function waitReady(
  r: Rollout,
  created: ContainerState,
  replacing: boolean,
): Promise<string | undefined> {
  const { rt, ctx } = r;
  for (;;) {
    if (ctx.signal.aborted) return 'the sync was cancelled or timed out while waiting for it';
    const state = await rt.refresh(created.id);
    if (!state) return 'the container disappeared';
    const now = Date.now();
    if (state.restartCount > 0) {
      return `it exited and was restarted ${state.restartCount} time(s)`;
    }
    const verdict = judgeContainer(state, now);
    if (verdict.kind === 'failed') return verdict.health.message ?? 'it failed';
    if (!state.running) {
      if (verdict.kind === 'ready') return undefined; // ran to completion
    } else if (r.readiness === 'completed') {
      // Running; wait for it to finish (a failure shows up as an exit code above).
    } else if (state.health) {
      if (verdict.kind === 'ready') return undefined;
    } else if (!replacing || verdict.kind === 'ready') {
      // New: up once it runs (the runner's health wait sees it settle). A replacement must have
      // kept running a moment (SETTLE_MS) before the old container goes.
      return undefined;
    }
    if (now > r.deadline) {
      return `still ${verdict.health.message ?? verdict.health.status} after ${rt.options.applyTimeoutSeconds}s (applyTimeoutSeconds)`;
    }
    await sleep(POLL_MS, ctx.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Remove every container of a resource (prune), highest replica first. */
export async function removeContainers(rt: Runtime, key: string): Promise<void> {
  const existing = await listContainersOf(rt, key);
  existing.sort((a, b) => (b.owned.replica ?? 0) - (a.owned.replica ?? 0));
  for (const c of existing) await removeContainer(rt, c, stopTimeoutOf(c));
  rt.cache.tombstones.delete(key);
}
