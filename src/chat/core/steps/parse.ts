import { parseCommand } from '../../commands/parse.js';
import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';
import { failedMessage } from '../render-result.js';

/** Text → command and arguments, or a reply with the usage line / "did you mean". */
export const parse =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    const result = parseCommand(deps.commands, ctx.text);
    if (!result.ok) {
      ctx.final = failedMessage(result.error, ctx.identity);
      ctx.decision = 'refused';
      ctx.result = `not understood: ${result.error}`;
      return;
    }
    ctx.parsed = result.command;
    await next();
  };
