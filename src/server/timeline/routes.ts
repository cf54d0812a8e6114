import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { readerOf } from '../read-access.js';
import { gatherTimeline } from './gather.js';

const item = {
  type: 'object',
  required: ['kind', 'id', 'at'],
  properties: {
    kind: {
      type: 'string',
      enum: ['commit', 'sync', 'command', 'approval', 'refusal', 'webhook', 'session', 'audit'],
    },
    id: { type: 'string' },
    at: { type: 'string' },
    app: { type: 'string' },
    apps: { type: 'array', items: { type: 'string' } },
    actor: { type: 'string' },
    // commits
    repo: { type: 'string' },
    sha: { type: 'string' },
    subject: { type: 'string' },
    author: { type: 'string' },
    authorEmail: { type: 'string' },
    // syncs
    syncId: { type: 'string' },
    revision: { type: 'string' },
    result: { type: 'string' },
    trigger: { type: 'string' },
    dryRun: { type: 'boolean' },
    durationMs: { type: 'integer' },
    changes: {
      type: 'object',
      properties: {
        created: { type: 'integer' },
        configured: { type: 'integer' },
        deleted: { type: 'integer' },
        unchanged: { type: 'integer' },
      },
    },
    health: { type: 'string' },
    // audit entries
    seq: { type: 'integer' },
    action: { type: 'string' },
    platform: { type: 'string' },
    text: { type: 'string' },
    decision: { type: 'string' },
  },
} as const;

/** `GET /api/v1/timeline`: commits, syncs, commands, approvals and refusals in one list. */
export function timelineRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/v1/timeline',
      {
        schema: {
          summary:
            'One timeline of commits, syncs, chat and API commands, approvals and refusals, newest first',
          description:
            'Merges the audit log, the sync history of every app and the commits of the repositories apps follow. `app` keeps one app; `person` keeps one person: an actor id (`slack:U123`), a name or email from `people:` in wheelhouse.yaml, or a token user (`alice`), expanded to every id of that person. Commit items carry the apps whose path they changed.',
          tags: ['audit'],
          querystring: {
            type: 'object',
            properties: {
              app: { type: 'string', minLength: 1, maxLength: 253 },
              person: { type: 'string', minLength: 1, maxLength: 256 },
              limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            },
            additionalProperties: false,
          },
          response: {
            200: {
              type: 'object',
              required: ['items'],
              properties: { items: { type: 'array', items: item } },
            },
          },
        },
      },
      async (request) => {
        const query = request.query as { app?: string; person?: string; limit: number };
        if (query.app) ctx.engine.status(query.app); // NOT_FOUND with a suggestion for a typo
        const reader = readerOf(ctx, request);
        const items = await gatherTimeline(ctx, {
          limit: query.limit,
          ...(query.app ? { app: query.app } : {}),
          ...(query.person ? { person: query.person } : {}),
          readable: (name) => reader.may(name),
        });
        return { items: ctx.redact(items) };
      },
    );
  };
}
