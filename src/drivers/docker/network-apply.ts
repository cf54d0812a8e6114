import type Docker from 'dockerode';
import type { ApplyContext, ApplyOutcome, DesiredResource, LiveResource } from '../../core/index.js';
import { WheelhouseError } from '../../core/index.js';
import { engineError, isNotFound } from './client.js';
import { objectName } from './container-config.js';
import { networkSchema } from './kinds/index.js';
import { ownershipLabels, readOwnedLabels, specHash } from './labels.js';
import type { Runtime } from './runtime.js';
import { parseSpec } from './spec-parse.js';

interface Attached {
  id: string;
  aliases: string[];
  /** A static address the container had on the network, kept when it is reconnected. */
  ipam?: Docker.IPAMConfig;
}

/**
 * Create the app's network `<namespace>_<name>`, or recreate it when its spec changed: containers
 * on it are disconnected and reconnected with their aliases (networks cannot be edited in place).
 */
export async function applyNetwork(
  rt: Runtime,
  resource: DesiredResource,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const spec = parseSpec(networkSchema, resource);
  const name = objectName(resource.namespace, resource.metadata.name);
  const where = { app: resource.app, resource: resource.key };
  const existing = await inspectNetwork(rt.docker, name, where);
  let reattach: Attached[] = [];
  if (existing) {
    const owned = readOwnedLabels(existing.Labels);
    if (!owned || owned.key !== resource.key) {
      throw new WheelhouseError(
        'CONFLICT',
        `network ${name} already exists and is not owned by ${resource.key}; rename the Network resource or remove the network by hand`,
        { details: where },
      );
    }
    if (owned.hash === specHash(spec)) {
      rt.cache.tombstones.delete(resource.key);
      return {};
    }
    ctx.progress(`network ${name} changed; recreating it`);
    reattach = await attachedContainers(rt.docker, name, existing);
    for (const c of reattach) {
      rt.busy.markOurs(c.id);
      await rt.docker
        .getNetwork(name)
        .disconnect({ Container: c.id, Force: true })
        .catch((err: unknown) => {
          throw engineError(
            `cannot disconnect container ${c.id.slice(0, 12)} from network ${name}`,
            err,
            where,
          );
        });
    }
    await rt.docker
      .getNetwork(name)
      .remove()
      .catch((err: unknown) => {
        throw engineError(`cannot remove network ${name} to recreate it`, err, where);
      });
  }
  try {
    await rt.docker.createNetwork({
      Name: name,
      Driver: spec.driver,
      Options: spec.options,
      Internal: spec.internal,
      EnableIPv6: spec.ipv6,
      CheckDuplicate: true,
      ...(spec.ipam === undefined
        ? {}
        : {
            IPAM: {
              Driver: spec.ipam.driver ?? 'default',
              Config: spec.ipam.config.map((c) => ({
                Subnet: c.subnet,
                ...(c.ipRange === undefined ? {} : { IPRange: c.ipRange }),
                ...(c.gateway === undefined ? {} : { Gateway: c.gateway }),
              })),
            },
          }),
      Labels: {
        ...spec.labels,
        ...ownershipLabels({ target: rt.target, app: resource.app, key: resource.key, spec }),
      },
    });
  } catch (err) {
    throw engineError(
      `cannot create network ${name} for ${resource.key}`,
      err,
      where,
      'check its driver and options',
    );
  }
  for (const c of reattach) {
    await rt.docker
      .getNetwork(name)
      .connect({
        Container: c.id,
        EndpointConfig: c.ipam ? { Aliases: c.aliases, IPAMConfig: c.ipam } : { Aliases: c.aliases },
      })
      .catch((err: unknown) => {
        throw engineError(`cannot reconnect container ${c.id.slice(0, 12)} to network ${name}`, err, where);
      });
  }
  await rt.cache.refreshNetworks();
  rt.cache.tombstones.delete(resource.key);
  return {};
}

export async function removeNetwork(rt: Runtime, live: LiveResource): Promise<void> {
  const name = objectName(live.namespace, live.name);
  const where = { app: live.app, resource: live.key };
  try {
    await rt.docker.getNetwork(name).remove();
  } catch (err) {
    if (!isNotFound(err)) {
      throw engineError(
        `cannot remove network ${name} of ${live.key}`,
        err,
        where,
        'containers outside this app may still use it; disconnect them first',
      );
    }
  }
  rt.cache.tombstones.delete(live.key);
  await rt.cache.refreshNetworks();
}

async function inspectNetwork(
  docker: Docker,
  name: string,
  where: { app: string; resource: string },
): Promise<Docker.NetworkInspectInfo | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw engineError(`cannot inspect network ${name}`, err, where);
  }
}

async function attachedContainers(
  docker: Docker,
  name: string,
  info: Docker.NetworkInspectInfo,
): Promise<Attached[]> {
  const out: Attached[] = [];
  for (const id of Object.keys(info.Containers ?? {})) {
    const container = await docker
      .getContainer(id)
      .inspect()
      .catch(() => undefined);
    const endpoint = container?.NetworkSettings.Networks[name];
    const aliases = Array.isArray(endpoint?.Aliases)
      ? (endpoint.Aliases as unknown[]).filter((a): a is string => typeof a === 'string' && !id.startsWith(a))
      : [];
    const ipam = endpoint?.IPAMConfig as Docker.IPAMConfig | null | undefined;
    out.push(ipam ? { id, aliases, ipam } : { id, aliases });
  }
  return out;
}
