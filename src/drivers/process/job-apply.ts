import type { ApplyContext, ApplyOutcome, DesiredResource } from '../../core/index.js';
import { JobUnit, jobLogPath } from './job-unit.js';
import { parseOrThrow } from './kind-common.js';
import { jobSpecSchema } from './kind-job.js';
import { resolveCwd } from './source-cwd.js';
import type { UnitRegistry, Where } from './units.js';

/** Applies a Job: runs it to completion for this revision (a new one is registered first). */
export async function applyJob(
  units: UnitRegistry,
  resource: DesiredResource,
  ctx: ApplyContext,
  where: Where,
): Promise<ApplyOutcome> {
  const spec = parseOrThrow(jobSpecSchema, resource.spec, where);
  const cwd = await resolveCwd(spec.cwd, ctx, where);
  const existing = units.get(resource.key);
  const unit =
    existing instanceof JobUnit
      ? existing
      : units.register(
          new JobUnit(
            {
              kind: 'Job',
              key: resource.key,
              app: resource.app,
              name: resource.metadata.name,
              spec,
              log: jobLogPath(units.stateDir, resource.key),
              updatedAt: units.host.now().toISOString(),
            },
            units.host,
          ),
        );
  return unit.run(spec, cwd, ctx);
}
