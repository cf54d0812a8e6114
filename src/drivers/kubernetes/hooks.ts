import {
  type ApplyContext,
  type ApplyOutcome,
  type DesiredResource,
  WheelhouseError,
} from '../../core/index.js';
import type { Mapping } from './discovery.js';
import { objectHealth } from './health/index.js';
import { podLogTail } from './logs.js';
import { pause, type Runtime } from './runtime.js';

const POLL_MS = 250;
const TAIL_LINES = 20;

/**
 * A PreSync/PostSync hook after its apply: a Job runs until it completes or fails (bounded by the
 * target's `waitSeconds` and the sync); its Pods' last log lines come back with the result. Other
 * kinds are done once applied.
 */
export async function runHook(
  rt: Runtime,
  resource: DesiredResource,
  mapping: Mapping,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  if (mapping.group !== 'batch' || mapping.kind !== 'Job')
    return { hookResult: { succeeded: true, logTail: [] } };
  const deadline = Date.now() + rt.options.waitSeconds * 1000;
  for (;;) {
    const job = rt.cache.get(mapping.apiVersion, mapping.kind, resource.namespace, resource.metadata.name);
    const health = job ? objectHealth(job, rt.cache.descendants(job)) : undefined;
    if (job && health && (health.status === 'Healthy' || health.status === 'Degraded')) {
      const pods = rt.cache.descendants(job).filter((o) => o.kind === 'Pod');
      const tail = await podLogTail(rt, pods, TAIL_LINES);
      const succeeded = health.status === 'Healthy';
      if (!succeeded && health.message) tail.push(health.message);
      return { hookResult: { succeeded, logTail: tail } };
    }
    if (Date.now() > deadline) {
      throw new WheelhouseError(
        'HEALTH_TIMEOUT',
        `hook Job ${resource.metadata.name} did not finish within ${rt.options.waitSeconds}s${health?.message ? `: ${health.message}` : ''}`,
        { details: { app: resource.app, resource: resource.key } },
      );
    }
    ctx.progress(
      `waiting for hook Job ${resource.metadata.name}${health?.message ? `: ${health.message}` : ''}`,
    );
    await pause(POLL_MS, ctx.signal);
  }
}
