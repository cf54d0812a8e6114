import { errorMessage, isWheelhouseError } from '../../../core/index.js';
import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';
import { redactMessage } from '../message.js';
import { failedMessage } from '../render-result.js';

/**
 * Outermost step: whatever happens further in, the request ends with one reply. Errors become a
 * failed reply that says what went wrong (redacted); the final message is sent here.
 */
export const boundary =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const text = deps.redact(errorMessage(err));
      ctx.log.warn(
        { err: text, code: isWheelhouseError(err) ? err.code : 'INTERNAL' },
        'chat command failed',
      );
      ctx.final = failedMessage(text, ctx.identity);
      ctx.decision ??= 'allowed';
      ctx.result = `failed: ${text}`;
    }
    if (ctx.ignored) return;
    if (ctx.final) await ctx.reply.send(redactMessage(ctx.final, deps.redact));
    await ctx.reply.flush();
  };
