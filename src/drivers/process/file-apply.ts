import {
  type ApplyContext,
  type ApplyOutcome,
  type DesiredResource,
  WheelhouseError,
} from '../../core/index.js';
import { FileUnit, prepareFilePath } from './file-unit.js';
import { parseOrThrow } from './kind-common.js';
import { fileSpecSchema } from './kind-file.js';
import { newRecordBase, type UnitRegistry, unitOfKind, type Where } from './units.js';

/**
 * Applies a File: writes it under the target's root, refusing a path another File manages, and
 * moves the watch for edits by hand to its (possibly new) path.
 */
export async function applyFile(
  units: UnitRegistry,
  resource: DesiredResource,
  ctx: ApplyContext,
  where: Where,
): Promise<ApplyOutcome> {
  const name = resource.metadata.name;
  const spec = parseOrThrow(fileSpecSchema, resource.spec, where);
  const path = prepareFilePath(units.options.root, spec, where);
  const owner = units.get(units.fileOwners.get(path) ?? '');
  if (owner && owner.key !== resource.key) {
    throw new WheelhouseError(
      'CONFLICT',
      `File ${resource.app}/${name}: ${spec.path} is already managed by ${owner.key} (app ${owner.state.app}); use another path`,
      { details: where },
    );
  }
  const unit = unitOfKind(
    units,
    resource.key,
    FileUnit,
    () =>
      new FileUnit(
        {
          ...newRecordBase(units, resource),
          kind: 'File',
          key: resource.key,
          app: resource.app,
          name,
          spec,
          path: '',
          hash: '',
          mode: '',
          stat: '',
        },
        units.host,
      ),
  );
  const previous = unit.state.path;
  unit.write(spec, path);
  if (previous && previous !== path) units.releaseFile(previous);
  units.watchFile(path, unit.key);
  ctx.progress(`File ${resource.app}/${name}: written to ${spec.path}`);
  return {};
}
