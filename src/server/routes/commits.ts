import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { appParams, limitQuery } from '../schemas.js';

export const commitSchema = {
  type: 'object',
  required: ['sha', 'subject', 'authorName', 'authorEmail', 'authoredAt', 'repo', 'apps'],
  properties: {
    sha: { type: 'string' },
    subject: { type: 'string' },
    authorName: { type: 'string' },
    authorEmail: { type: 'string' },
    authoredAt: { type: 'string' },
    trailers: { type: 'object', additionalProperties: { type: 'string' } },
    repo: { type: 'string' },
    apps: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** `GET /api/v1/apps/{app}/commits`: the commits that changed an app (needs the server to know the source). */
export function commitRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/v1/apps/:app/commits',
      {
        schema: {
          summary: 'Commits that changed the app’s path, newest first, up to the revision Git declares',
          tags: ['apps'],
          params: appParams,
          querystring: limitQuery,
          response: {
            200: {
              type: 'object',
              required: ['app', 'commits'],
              properties: { app: { type: 'string' }, commits: { type: 'array', items: commitSchema } },
            },
          },
        },
      },
      async (request) => {
        const { app: name } = request.params as { app: string };
        const { limit } = request.query as { limit: number };
        ctx.engine.status(name); // NOT_FOUND for an unknown app, with suggestions
        const commits = ctx.commits ? await ctx.commits.forApp(name, limit) : [];
        return { app: name, commits: ctx.redact(commits) };
      },
    );
  };
}
