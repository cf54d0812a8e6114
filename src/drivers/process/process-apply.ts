import type { ApplyContext, ApplyOutcome, DesiredResource } from '../../core/index.js';
import { parseOrThrow } from './kind-common.js';
import { processSpecSchema } from './kind-process.js';
import { ProcessUnit } from './process-unit.js';
import { resolveCwd } from './source-cwd.js';
import { newRecordBase, type UnitRegistry, unitOfKind, type Where } from './units.js';

/** Applies a Process: a rolling update of its replicas (a new one is registered first). */
export async function applyProcess(
  units: UnitRegistry,
  resource: DesiredResource,
  ctx: ApplyContext,
  where: Where,
): Promise<ApplyOutcome> {
  const spec = parseOrThrow(processSpecSchema, resource.spec, where);
  const cwd = await resolveCwd(spec.cwd, ctx, where);
  const unit = unitOfKind(
    units,
    resource.key,
    ProcessUnit,
    () =>
      new ProcessUnit(
        {
          ...newRecordBase(units, resource),
          kind: 'Process',
          spec,
          replicas: [],
        },
        units.host,
      ),
  );
  await unit.roll(spec, cwd, ctx);
  return {};
}
