import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';
import { resultMessage } from '../render-result.js';

/**
 * The approval gate: a refusal from the policy is reported (and audited) here; a request an
 * approval rule covers is stored and the thread gets Approve / Deny buttons instead of running.
 */
export const approve =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    if (ctx.prepared && ctx.identity) {
      const gated = await deps.actions.gate(ctx.prepared);
      if (gated) {
        ctx.final = resultMessage(gated, ctx.identity, deps.now());
        return;
      }
    }
    await next();
  };
