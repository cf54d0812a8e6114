import type { CommandContext } from '../../commands/definition.js';
import { argString } from '../../commands/definition.js';
import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';
import { approvedRunMessage, decisionMessage, resultMessage, workingMessage } from '../render-result.js';

/** Run the command: answer a read, execute an action (updating the thread), or decide a request. */
export const execute =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx) => {
    const parsed = ctx.parsed;
    const identity = ctx.identity;
    if (!parsed || !identity) return;
    const definition = parsed.definition;
    if (definition.kind === 'read') {
      const commandCtx: CommandContext = {
        engine: deps.engine,
        store: deps.store,
        ...(deps.source ? { source: deps.source } : {}),
        config: deps.engine.config(),
        identity,
        actions: deps.actions,
        commands: deps.commands,
        redact: deps.redact,
        now: deps.now,
        ...(deps.images ? { images: deps.images } : {}),
      };
      ctx.final = await definition.answer(commandCtx, parsed);
      ctx.decision = 'allowed';
      ctx.result = ctx.final.status === 'failed' ? 'failed' : 'ok';
      return;
    }
    if (definition.kind === 'action') {
      const prepared = ctx.prepared;
      if (!prepared) return;
      const what = `\`${deps.redact(ctx.text)}\``;
      const result = await deps.actions.execute(prepared, {
        progress: (step) => void ctx.reply.send(workingMessage(what, identity, step)),
        reply: async () => {
          await ctx.reply.flush();
          return ctx.reply.ref();
        },
      });
      ctx.final = resultMessage(result, identity, deps.now());
      return;
    }
    const result = await deps.actions.decide({
      actor: ctx.actor,
      approvalId: argString(parsed, 'id') ?? '',
      decision: definition.decision,
      ...(argString(parsed, 'reason') ? { reason: argString(parsed, 'reason') ?? '' } : {}),
      platform: ctx.incoming.platform,
      channel: ctx.incoming.channel,
    });
    ctx.audited = true;
    ctx.final = decisionMessage(result, identity, deps.engine.config().people);
    if (result.status === 'approved') {
      // The request runs now as the requester and reports in its own thread; this reply says how it ended.
      void ctx.reply.send(ctx.final);
      const run = await result.execution;
      ctx.final = approvedRunMessage(result.approval, run, identity, deps.engine.config().people);
    }
  };
