import type { EngineContext } from './context.js';

/** Whether this engine reconciles the app: always without a cluster, else while it holds the lease. */
export function owns(ctx: Pick<EngineContext, 'cluster'>, app: string): boolean {
  return ctx.cluster === undefined || ctx.cluster.lease(app) !== undefined;
}
