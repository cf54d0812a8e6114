import type { ApplyContext, ApplyOutcome, DesiredResource, LiveResource } from '../../core/index.js';
import { WheelhouseError } from '../../core/index.js';
import { engineError, isNotFound, statusOf } from './client.js';
import { objectName } from './container-config.js';
import { volumeSchema } from './kinds/index.js';
import { ownershipLabels, readOwnedLabels, specHash } from './labels.js';
import type { Runtime } from './runtime.js';
import { parseSpec } from './spec-parse.js';

/**
 * Create the app's volume `<namespace>_<name>`. A volume is never recreated on its own: that would
 * delete its data, so a changed spec is refused with what to do.
 */
export async function applyVolume(
  rt: Runtime,
  resource: DesiredResource,
  _ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const spec = parseSpec(volumeSchema, resource);
  const name = objectName(resource.namespace, resource.metadata.name);
  const where = { app: resource.app, resource: resource.key };
  let labels: Record<string, string> | undefined;
  let exists = false;
  try {
    const info = await rt.docker.getVolume(name).inspect();
    exists = true;
    labels = info.Labels ?? undefined;
  } catch (err) {
    if (!isNotFound(err)) throw engineError(`cannot inspect volume ${name}`, err, where);
  }
  if (exists) {
    const owned = readOwnedLabels(labels);
    if (!owned || owned.key !== resource.key) {
      throw new WheelhouseError(
        'CONFLICT',
        `volume ${name} already exists and is not owned by ${resource.key}; rename the Volume resource, or use it from the container as an external volume`,
        { details: where },
      );
    }
    if (owned.hash !== specHash(spec)) {
      throw new WheelhouseError(
        'DRIVER_FAILED',
        `volume ${name} (${resource.key}) has a different driver, options or labels than Git declares; a volume is never recreated automatically because that deletes its data. Back it up, remove it by hand (docker volume rm ${name}) and sync again, or revert the change`,
        { details: where },
      );
    }
    rt.cache.tombstones.delete(resource.key);
    return {};
  }
  try {
    await rt.docker.createVolume({
      Name: name,
      Driver: spec.driver,
      DriverOpts: spec.options,
      Labels: {
        ...spec.labels,
        ...ownershipLabels({ target: rt.target, app: resource.app, key: resource.key, spec }),
      },
    });
  } catch (err) {
    throw engineError(
      `cannot create volume ${name} for ${resource.key}`,
      err,
      where,
      'check its driver and options',
    );
  }
  await rt.cache.refreshVolumes();
  rt.cache.tombstones.delete(resource.key);
  return {};
}

/** Prune: removes the volume and its data. */
export async function removeVolume(rt: Runtime, live: LiveResource): Promise<void> {
  const name = objectName(live.namespace, live.name);
  try {
    await rt.docker.getVolume(name).remove();
  } catch (err) {
    if (!isNotFound(err)) {
      throw engineError(
        `cannot remove volume ${name} of ${live.key}`,
        err,
        { app: live.app, resource: live.key },
        statusOf(err) === 409 ? 'a container still uses it; remove that container first' : undefined,
      );
    }
  }
  rt.cache.tombstones.delete(live.key);
  await rt.cache.refreshVolumes();
}
