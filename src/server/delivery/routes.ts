import type { FastifyInstance } from 'fastify';
import { gatherDelivery, periodOf } from '../../access/index.js';
import { computeDelivery, DELIVERY_DEFINITIONS } from '../../core/index.js';
import { deliveryTimelineSchema, metricsQuerySchema, metricsResponseSchema } from '../../wire/index.js';
import type { ServerContext } from '../context.js';
import { readerOf } from '../read-access.js';
import { zodRoutes } from '../zod-routes.js';
import { deliveryTimeline } from './timeline.js';

/** `GET /api/v1/metrics`: deployment frequency, lead time, change failure rate, time to restore. */
export function deliveryRoutes(ctx: ServerContext, now: () => Date = () => new Date()) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/api/v1/metrics',
      {
        schema: {
          // `getMetrics` is the Prometheus exposition's (`/metrics`).
          operationId: 'getDeliveryMetrics',
          summary: 'Delivery (DORA) figures over a period, per app, environment and team',
          description:
            'Computed from sync history, the commits that changed each app, rollbacks and health changes. `from`/`to` are ISO-8601 times (default: the 28 days before now); `bucket` splits the figures per `day` or `week` (default: day up to a month, else week). Apps the caller may not read are left out. docs/metrics.md defines every figure.',
          tags: ['apps'],
          querystring: metricsQuerySchema,
          response: { 200: metricsResponseSchema },
        },
      },
      async (request) => {
        const query = request.query;
        if (query.app) ctx.engine.status(query.app); // NOT_FOUND with a suggestion for a typo
        const reader = readerOf(ctx, request);
        if (query.app) reader.assert(query.app);
        const period = periodOf(query, now());
        const scopeOf = {
          ...(query.app ? { app: query.app } : {}),
          ...(query.environment ? { environment: query.environment } : {}),
          ...(query.team ? { team: query.team } : {}),
          readable: (name: string) => reader.may(name),
        };
        const history = await gatherDelivery(ctx, scopeOf, period);
        return { ...computeDelivery(history, period), definitions: { ...DELIVERY_DEFINITIONS } };
      },
    );
    app.get(
      '/api/v1/metrics/timeline',
      {
        schema: {
          summary: "One app's syncs, health and commands over a period (the Metrics page's timeline)",
          description:
            'Each sync with its result, who ran it and the commit it applied; health changes (the first one gives the health at `from`); rollbacks and other commands people ran. `from`/`to` as for `/api/v1/metrics`.',
          tags: ['apps'],
          querystring: metricsQuerySchema.pick({ app: true, from: true, to: true }).required({ app: true }),
          response: { 200: deliveryTimelineSchema },
        },
      },
      async (request) => {
        const name = request.query.app;
        ctx.engine.status(name); // NOT_FOUND with a suggestion for a typo
        readerOf(ctx, request).assert(name);
        const period = periodOf(request.query, now());
        const history = await gatherDelivery(ctx, { app: name, readable: () => true }, period);
        return ctx.redact(deliveryTimeline(name, history, period));
      },
    );
  };
}
