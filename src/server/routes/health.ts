import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorMessage } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../errors.js';
import { zodRoutes } from '../zod-routes.js';
import { readinessProblems } from './readiness.js';

const publicRoute = { security: [] as Record<string, string[]>[], tags: ['probes'] };

/** Liveness and readiness probes; public (no token). */
export function healthRoutes(ctx: ServerContext, version: string) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/healthz',
      {
        schema: {
          ...publicRoute,
          summary: 'Liveness: the server answers',
          response: {
            200: z.object({ ok: z.boolean(), version: z.string().optional() }),
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
            200: z.object({
              ready: z.boolean(),
              apps: z.number().int(),
              degraded: z.boolean(),
              problems: z.array(z.string()),
            }),
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
