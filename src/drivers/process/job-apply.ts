import type { ApplyContext, ApplyOutcome, DesiredResource } from '../../core/index.js';
import { JobUnit, jobLogPath } from './job-unit.js';
import { parseOrThrow } from './kind-common.js';
import { jobSpecSchema } from './kind-job.js';
import { resolveCwd } from './source-cwd.js';
import { newRecordBase, type UnitRegistry, unitOfKind, type Where } from './units.js';

/** Applies a Job: runs it to completion for this revision (a new one is registered first). */
export async function applyJob(
  units: UnitRegistry,
  resource: DesiredResource,
  ctx: ApplyContext,
  where: Where,
): Promise<ApplyOutcome> {
  const spec = parseOrThrow(jobSpecSchema, resource.spec, where);
  const cwd = await resolveCwd(spec.cwd, ctx, where);
  const unit = unitOfKind(
    units,
    resource.key,
    JobUnit,
    () =>
      new JobUnit(
        {
          ...newRecordBase(units, resource),
          kind: 'Job',
          spec,
          log: jobLogPath(units.stateDir, resource.key),
        },
        units.host,
      ),
  );
  return unit.run(spec, cwd, ctx);
}
