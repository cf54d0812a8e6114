import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';
import { workingMessage } from '../render-result.js';

/**
 * Every command acknowledges at once — a first reply in the thread before anything slow happens
 * (Slack needs one within 3 s; this comes within milliseconds) — and that reply is then updated
 * as the work proceeds and with the answer. Commands answered from memory (`quick`) skip the
 * placeholder: their answer is the first reply.
 */
export const acknowledge =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    const parsed = ctx.parsed;
    if (parsed && !parsed.definition.quick && ctx.identity) {
      void ctx.reply.send(workingMessage(`\`${deps.redact(ctx.text)}\``, ctx.identity));
    }
    await next();
  };
