import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { appParams, commitSchema, limitQuery } from '../../wire/index.js';
import type { ServerContext } from '../context.js';
import { zodRoutes } from '../zod-routes.js';

/** `GET /api/v1/apps/{app}/commits`: the commits that changed an app (needs the server to know the source). */
export function commitRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/api/v1/apps/:app/commits',
      {
        schema: {
          summary: 'Commits that changed the app’s path, newest first, up to the revision Git declares',
          tags: ['apps'],
          params: appParams,
          querystring: limitQuery,
          response: {
            200: z.object({ app: z.string(), commits: z.array(commitSchema) }),
          },
        },
      },
      async (request) => {
        const { app: name } = request.params;
        const { limit } = request.query;
        ctx.engine.status(name); // NOT_FOUND for an unknown app, with suggestions
        const commits = ctx.commits ? await ctx.commits.forApp(name, limit) : [];
        return { app: name, commits: ctx.redact(commits) };
      },
    );
  };
}
