import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { timelineItemSchema } from '../../wire/index.js';
import type { ServerContext } from '../context.js';
import { readerOf } from '../read-access.js';
import { zodRoutes } from '../zod-routes.js';
import { gatherTimeline } from './gather.js';

/** `GET /api/v1/timeline`: commits, syncs, commands, approvals and refusals in one list. */
export function timelineRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/api/v1/timeline',
      {
        schema: {
          summary:
            'One timeline of commits, syncs, chat and API commands, approvals and refusals, newest first',
          description:
            'Merges the audit log, the sync history of every app and the commits of the repositories apps follow. `app` keeps one app; `person` keeps one person: an actor id (`slack:U123`), a name or email from `people:` in wheelhouse.yaml, or a token user (`alice`), expanded to every id of that person. Commit items carry the apps whose path they changed.',
          tags: ['audit'],
          querystring: z.strictObject({
            app: z.string().min(1).max(253).optional(),
            person: z.string().min(1).max(256).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(timelineItemSchema) }) },
        },
      },
      async (request) => {
        const query = request.query;
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
