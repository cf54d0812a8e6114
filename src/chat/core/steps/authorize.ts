import type { ActionRequest } from '../../../access/index.js';
import { authorize as decide } from '../../../access/index.js';
import type { Middleware } from '../compose.js';
import type { ChatRequest } from '../context.js';
import type { ChatDeps } from '../deps.js';
import { refusedMessage } from '../render-result.js';

/** The request as the actions service sees it. */
export function actionRequest(ctx: ChatRequest, deps: ChatDeps): ActionRequest | undefined {
  const parsed = ctx.parsed;
  if (parsed?.definition.kind !== 'action') return undefined;
  const call = parsed.definition.toAction(parsed);
  const ref = ctx.reply.ref();
  return {
    actor: ctx.actor,
    command: call.command,
    args: call.args,
    text: deps.redact(ctx.text),
    platform: ctx.incoming.platform,
    channel: ctx.incoming.channel,
    requestId: ctx.incoming.permalink ?? ctx.incoming.ts,
    origin: {
      platform: ctx.incoming.platform,
      channel: ctx.incoming.channel,
      thread: ctx.reply.thread,
      messageId: ctx.incoming.ts,
      ...(ref ? { replyId: ref.id } : {}),
    },
    ...(call.force ? { force: true } : {}),
  };
}

/**
 * The access policy, for every command: read commands are checked here directly; actions go
 * through the actions service's first step (the same check every surface uses).
 */
export const authorize =
  (deps: ChatDeps): Middleware<ChatRequest> =>
  async (ctx, next) => {
    const parsed = ctx.parsed;
    const identity = ctx.identity;
    if (!parsed || !identity) return;
    const definition = parsed.definition;
    if (definition.kind === 'read') {
      const config = deps.engine.config();
      const appName = definition.app?.(parsed);
      let app: { name: string; environment: string } | undefined;
      if (appName !== undefined) {
        const spec = config.apps.find((a) => a.name === appName);
        // An unknown app is reported by the command itself, with suggestions.
        if (spec) app = { name: spec.name, environment: spec.environment };
      }
      const verdict = decide(config, { identity, command: definition.name, ...(app ? { app } : {}) });
      if (verdict.kind === 'refused') {
        ctx.final = refusedMessage(verdict.reason, identity);
        ctx.decision = 'refused';
        ctx.result = verdict.reason;
        return;
      }
    } else if (definition.kind === 'action') {
      await ctx.reply.flush();
      const request = actionRequest(ctx, deps);
      if (!request) return;
      const prepared = await deps.actions.prepare(request);
      ctx.audited = true;
      if (prepared.status === 'refused') {
        ctx.final = refusedMessage(prepared.reason, identity);
        return;
      }
      ctx.prepared = prepared;
    }
    await next();
  };
