import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';

/** `slack:U123` → the person `people` maps it to (Alice), with every id she is known by. */
export const resolveActor =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    ctx.identity = deps.actions.identity(ctx.actor);
    ctx.log = ctx.log.child({ actor: ctx.actor, person: ctx.identity.person?.name });
    await next();
  };
