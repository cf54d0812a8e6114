import { errorMessage, type Health } from '../core/index.js';
import type { EngineContext } from './context.js';

/**
 * Keeps each change of an app's health in the store (time to restore and change failure are
 * computed from it). Written in the background: a store that cannot take it is logged, and the
 * health itself is still announced.
 */
export function recordHealthChange(ctx: EngineContext, app: string, from: Health, to: Health): void {
  const message = to.message === undefined ? undefined : ctx.redact()(to.message);
  ctx.store
    .recordHealthTransition({
      app,
      at: ctx.now().toISOString(),
      from: from.status,
      to: to.status,
      ...(message !== undefined ? { message } : {}),
    })
    .catch((err: unknown) =>
      ctx.log.warn(
        { app, err: errorMessage(err) },
        'could not record a health change (delivery figures miss it)',
      ),
    );
}
