import type { ApplyContext, ApplyOutcome, DesiredResource } from '../../core/index.js';
import { parseOrThrow } from './kind-common.js';
import { processSpecSchema } from './kind-process.js';
import { ProcessUnit } from './process-unit.js';
import { resolveCwd } from './source-cwd.js';
import type { UnitRegistry, Where } from './units.js';

/** Applies a Process: a rolling update of its replicas (a new one is registered first). */
export async function applyProcess(
  units: UnitRegistry,
  resource: DesiredResource,
  ctx: ApplyContext,
  where: Where,
): Promise<ApplyOutcome> {
  const spec = parseOrThrow(processSpecSchema, resource.spec, where);
  const cwd = await resolveCwd(spec.cwd, ctx, where);
  const existing = units.get(resource.key);
  const unit =
    existing instanceof ProcessUnit
      ? existing
      : units.register(
          new ProcessUnit(
            {
              kind: 'Process',
              key: resource.key,
              app: resource.app,
              name: resource.metadata.name,
              spec,
              replicas: [],
              updatedAt: units.host.now().toISOString(),
            },
            units.host,
          ),
        );
  await unit.roll(spec, cwd, ctx);
  return {};
}
