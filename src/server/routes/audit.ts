import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditEntrySchema, auditVerificationSchema } from '../../wire/index.js';
import type { ServerContext } from '../context.js';
import { readerOf } from '../read-access.js';
import { zodRoutes } from '../zod-routes.js';

/** The audit log and its hash-chain verification. */
export function auditRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/api/v1/audit',
      {
        schema: {
          summary:
            'Audit entries in chain order (oldest first): the newest `limit`, or those before the seq `before`',
          tags: ['audit'],
          querystring: z.strictObject({
            app: z.string().min(1).optional(),
            actor: z.string().min(1).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            before: z.coerce.number().int().min(1).optional(),
          }),
          response: { 200: z.object({ entries: z.array(auditEntrySchema) }) },
        },
      },
      async (request) => {
        const q = request.query;
        const entries = await ctx.store.listAudit({
          limit: q.limit,
          ...(q.app ? { app: q.app } : {}),
          ...(q.actor ? { actor: q.actor } : {}),
          ...(q.before !== undefined ? { before: q.before } : {}),
        });
        const reader = readerOf(ctx, request);
        return { entries: ctx.redact(entries.filter((e) => reader.may(e.app))) };
      },
    );

    app.get(
      '/api/v1/audit/verify',
      {
        schema: {
          summary:
            'Walk the audit hash chain; `ok: false` names the first altered, deleted or reordered entry',
          tags: ['audit'],
          response: { 200: auditVerificationSchema },
        },
      },
      async (request) => {
        readerOf(ctx, request).assert();
        return ctx.store.verifyAudit();
      },
    );
  };
}
