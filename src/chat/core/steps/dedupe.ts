import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';

/**
 * Platforms retry deliveries they think were lost (Slack's `X-Slack-Retry-Num`, webhooks): a
 * message id seen before is dropped, so no command ever runs twice. Signatures are verified by
 * each adapter at its HTTP boundary, before a message gets here.
 */
export const dedupe =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    if (!ctx.fromAction) {
      const key = `${ctx.incoming.channel}/${ctx.incoming.ts}`;
      const fresh = await deps.store.markDelivered(`chat:${ctx.incoming.platform}`, key);
      if (!fresh) {
        ctx.log.info({ ts: ctx.incoming.ts }, 'dropped a repeated chat delivery');
        ctx.ignored = true;
        return;
      }
    }
    await next();
  };
