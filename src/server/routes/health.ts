import type { FastifyInstance } from 'fastify';
import { errorMessage } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../errors.js';
import { readinessProblems } from './readiness.js';

const publicRoute = { security: [] as Record<string, string[]>[], tags: ['probes'] };

/** Liveness and readiness probes; public (no token). */
export function healthRoutes(ctx: ServerContext, version: string) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/healthz',
      {
        schema: {
          ...publicRoute,
          summary: 'Liveness: the server answers',
          response: {
            200: {
              type: 'object',
              required: ['ok'],
              properties: { ok: { type: 'boolean' }, version: { type: 'string' } },
            },
          },
        },
      },
      async () => ({ ok: true, version }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          ...publicRoute,
          summary:
            'Readiness: the engine has loaded a valid wheelhouse.yaml (503 until then); degraded, with the reasons, while sources cannot be fetched or apps are not managed',
          response: {
            200: {
              type: 'object',
              required: ['ready', 'apps', 'degraded', 'problems'],
              properties: {
                ready: { type: 'boolean' },
                apps: { type: 'integer' },
                degraded: { type: 'boolean' },
                problems: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
      },
      async (_request, reply) => {
        try {
          ctx.engine.config();
        } catch (err) {
          return sendError(reply, 503, 'UNAVAILABLE', `not ready: ${errorMessage(err)}`);
        }
        const apps = ctx.engine.apps();
        const problems = readinessProblems(apps);
        return { ready: true, apps: apps.length, degraded: problems.length > 0, problems };
      },
    );
  };
}
