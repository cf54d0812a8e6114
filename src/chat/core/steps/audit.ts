import { auditCommand } from '../../../access/index.js';
import { errorMessage } from '../../../core/index.js';
import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';

/**
 * Every command is audited: actions and decisions by the actions service (so the API's are too),
 * everything else — read commands, refusals, text that was not understood — here.
 */
export const audit =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.decision ??= 'allowed';
      ctx.result = `failed: ${deps.redact(errorMessage(err))}`;
      throw err;
    } finally {
      if (!ctx.audited && !ctx.ignored) {
        const parsed = ctx.parsed;
        const app = parsed?.definition.kind === 'read' ? parsed.definition.app?.(parsed) : undefined;
        try {
          await auditCommand(
            deps.store,
            {
              actor: ctx.actor,
              command: parsed?.definition.name ?? 'unknown',
              ...(app ? { app: deps.redact(app) } : {}),
              platform: ctx.incoming.platform,
              channel: ctx.incoming.channel,
              text: deps.redact(ctx.text || ctx.incoming.text),
              decision: ctx.decision ?? 'allowed',
              result: deps.redact(ctx.result ?? (ctx.final?.status === 'failed' ? 'failed' : 'ok')),
            },
            deps.engine.events,
          );
          ctx.audited = true;
        } catch (err) {
          ctx.log.error({ err: errorMessage(err) }, 'could not write the audit entry for a chat command');
        }
      }
    }
  };
