import type { StoreContext } from './context.js';
import { guard } from './errors.js';
import { requireText } from './values.js';

/**
 * Remembers delivery ids (webhook deliveries, chat retries) for the retention window. Returns
 * false for an id seen before. Ids older than the window are pruned, at most about once per
 * 1/24 of the window, so the table stays bounded by the traffic of one window.
 */
export function createDeliveries(ctx: StoreContext): (source: string, id: string) => Promise<boolean> {
  let lastPrune = Number.NEGATIVE_INFINITY;
  const pruneEvery = Math.max(1, Math.floor(ctx.deliveryRetentionMs / 24));

  const prune = async (nowMs: number) => {
    lastPrune = nowMs;
    const cutoff = new Date(nowMs - ctx.deliveryRetentionMs).toISOString();
    const result = await ctx.db.deleteFrom('deliveries').where('at', '<', cutoff).executeTakeFirst();
    const pruned = Number(result.numDeletedRows);
    if (pruned > 0) ctx.log.debug({ pruned, cutoff }, 'pruned old delivery ids');
  };

  return async (source, id) => {
    requireText(source, 'delivery.source');
    requireText(id, 'delivery.id');
    const now = ctx.now();
    return guard(ctx.dialect.location, `record delivery ${source}/${id}`, {}, async () => {
      if (now.getTime() - lastPrune >= pruneEvery) await prune(now.getTime());
      const result = await ctx.db
        .insertInto('deliveries')
        .values({ source, id, at: now.toISOString() })
        .onConflict((oc) => oc.columns(['source', 'id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    });
  };
}
