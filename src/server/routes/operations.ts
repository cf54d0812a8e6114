import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AuditInput, errorMessage, isWheelhouseError } from '../../core/index.js';
import { appDetailSchema, appParams } from '../../wire/index.js';
import { principalOf } from '../auth.js';
import type { MutationRequest, ServerContext } from '../context.js';
import { zodRoutes } from '../zod-routes.js';

/** Mutating app routes: sync and refresh. Each goes through the guard and is audited. */
export function operationRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.post(
      '/api/v1/apps/:app/sync',
      {
        // No body at all means "sync with defaults".
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          summary: 'Start a sync (or a dry run); answers 202 with the operation id at once',
          description:
            'Follow the operation on `GET /api/v1/events?app=APP` (sync.started, sync.progress, sync.finished carry `syncId` = the operation id). `revision` pins the app to a revision (branch, tag, sha); without it the sync follows the source ref and clears a pin.',
          tags: ['operations'],
          params: appParams,
          body: z.strictObject({
            revision: z.string().min(1).max(256).describe('branch, tag, semver range or sha').optional(),
            dryRun: z.boolean().describe('plan and report without changing anything').optional(),
          }),
          response: {
            202: z.object({
              operationId: z.string(),
              app: z.string(),
              revision: z.string().optional(),
              dryRun: z.boolean(),
            }),
          },
        },
      },
      async (request, reply) => {
        const { app: name } = request.params;
        const body = request.body;
        const dryRun = body.dryRun === true;
        const args = { ...(body.revision ? { revision: body.revision } : {}), dryRun };
        const handle = await mutate(ctx, request, 'sync', name, args, async (actor, requestId) => {
          const h = await ctx.engine.sync(name, {
            actor,
            requestId,
            dryRun,
            ...(body.revision ? { revision: body.revision } : {}),
          });
          // The outcome travels on the event stream; a failed sync must not become an unhandled rejection.
          h.done.catch((err: unknown) =>
            ctx.log.debug(
              { app: name, operation: h.operationId },
              `sync ended with an error: ${errorMessage(err)}`,
            ),
          );
          return { result: `accepted ${h.operationId}`, value: h };
        });
        return reply.code(202).send({
          operationId: handle.operationId,
          app: name,
          dryRun,
          ...(body.revision ? { revision: body.revision } : {}),
        });
      },
    );

    app.post(
      '/api/v1/apps/:app/refresh',
      {
        schema: {
          summary: 'Fetch the app’s source now and reconcile by its policy; answers with the app’s status',
          tags: ['operations'],
          params: appParams,
          response: { 200: appDetailSchema },
        },
      },
      async (request) => {
        const { app: name } = request.params;
        await mutate(ctx, request, 'refresh', name, {}, async () => {
          await ctx.engine.refresh(name);
          return { result: 'refreshed', value: undefined };
        });
        return ctx.redact.strings(ctx.engine.status(name));
      },
    );
  };
}

/**
 * Runs one mutating call: app exists → guard → execute → audit. Refusals and failures are audited
 * too (except an unknown app, which changes nothing and only gets a 404).
 */
async function mutate<T>(
  ctx: ServerContext,
  request: FastifyRequest,
  action: MutationRequest['action'],
  app: string,
  args: Record<string, unknown>,
  run: (actor: string, requestId: string) => Promise<{ result: string; value: T }>,
): Promise<T> {
  const principal = principalOf(request);
  ctx.engine.status(app); // throws NOT_FOUND with a suggestion
  const requestId = `api-${randomUUID()}`;
  const base: AuditInput = {
    actor: principal.actor,
    action: `api.${action}`,
    app,
    platform: 'api',
    text: `${request.method} ${request.url}`,
    details: { ...args, requestId },
  };
  try {
    await ctx.guard?.({ actor: principal.actor, user: principal.user, action, app, args });
  } catch (err) {
    const decision = isWheelhouseError(err, 'APPROVAL_REQUIRED') ? 'awaiting-approval' : 'refused';
    await ctx.audit({ ...base, decision, result: errorMessage(err) });
    throw err;
  }
  let outcome: { result: string; value: T };
  try {
    outcome = await run(principal.actor, requestId);
  } catch (err) {
    await ctx.audit({ ...base, decision: 'allowed', result: `failed: ${errorMessage(err)}` });
    throw err;
  }
  await ctx.audit({ ...base, decision: 'allowed', result: outcome.result });
  return outcome.value;
}
