import { HEALTH_CODES, type HealthCode, type HealthTransition } from '../core/index.js';
import type { StoreContext } from './context.js';
import { badRequest, guard } from './errors.js';
import { requireText, toTime } from './values.js';

/** Longest health message kept per change (a crash loop's log tail is enough to say why). */
const MESSAGE_CHARS = 500;

function healthCode(value: string, field: string): HealthCode {
  if ((HEALTH_CODES as readonly string[]).includes(value)) return value as HealthCode;
  throw badRequest(`${field}: ${JSON.stringify(value)} is not a health (one of ${HEALTH_CODES.join(', ')})`, {
    path: field,
  });
}

export async function recordHealthTransition(ctx: StoreContext, transition: HealthTransition): Promise<void> {
  const row = {
    app: requireText(transition.app, 'healthTransition.app'),
    at: toTime(transition.at, 'healthTransition.at'),
    from_health: healthCode(transition.from, 'healthTransition.from'),
    to_health: healthCode(transition.to, 'healthTransition.to'),
    message: transition.message === undefined ? null : transition.message.slice(0, MESSAGE_CHARS),
  };
  await guard(ctx.dialect.location, `record the health of app ${row.app}`, { app: row.app }, async () => {
    await ctx.db.insertInto('health_transitions').values(row).execute();
  });
}

export async function listHealthTransitions(
  ctx: StoreContext,
  filter: { app?: string; from?: string; to?: string; limit?: number } = {},
): Promise<HealthTransition[]> {
  const what = filter.app ? `the health history of app ${filter.app}` : 'the health history';
  return guard(ctx.dialect.location, `list ${what}`, filter.app ? { app: filter.app } : {}, async () => {
    let query = ctx.db.selectFrom('health_transitions').selectAll();
    if (filter.app !== undefined) query = query.where('app', '=', filter.app);
    if (filter.from !== undefined) query = query.where('at', '>=', toTime(filter.from, 'from'));
    if (filter.to !== undefined) query = query.where('at', '<', toTime(filter.to, 'to'));
    query = query.orderBy('at').orderBy('pos');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    const rows = await query.execute();
    return rows.map((row) => ({
      app: row.app,
      at: row.at,
      from: row.from_health as HealthCode,
      to: row.to_health as HealthCode,
      ...(row.message !== null ? { message: row.message } : {}),
    }));
  });
}
