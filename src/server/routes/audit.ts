import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { readerOf } from '../read-access.js';
import { auditEntrySchema, auditVerificationSchema } from '../schemas.js';

/** The audit log and its hash-chain verification. */
export function auditRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/v1/audit',
      {
        schema: {
          summary:
            'Audit entries in chain order (oldest first): the newest `limit`, or those before the seq `before`',
          tags: ['audit'],
          querystring: {
            type: 'object',
            properties: {
              app: { type: 'string', minLength: 1 },
              actor: { type: 'string', minLength: 1 },
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
              before: { type: 'integer', minimum: 1 },
            },
            additionalProperties: false,
          },
          response: {
            200: {
              type: 'object',
              required: ['entries'],
              properties: { entries: { type: 'array', items: auditEntrySchema } },
            },
          },
        },
      },
      async (request) => {
        const q = request.query as { app?: string; actor?: string; limit: number; before?: number };
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
