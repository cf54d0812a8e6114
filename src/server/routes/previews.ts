import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type PreviewRecord, WheelhouseError } from '../../core/index.js';
import { previewSchema } from '../../wire/index.js';
import type { ServerContext } from '../context.js';
import { type Reader, readerOf } from '../read-access.js';
import { zodRoutes } from '../zod-routes.js';

/** Pull request previews, newest first: the apps each one touches and what it would change. */
export function previewRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/api/v1/previews',
      {
        schema: {
          summary: 'Pull request previews, newest first (each names the apps its head changes and how)',
          tags: ['previews'],
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(50) }),
          response: { 200: z.object({ previews: z.array(previewSchema) }) },
        },
      },
      async (request) => {
        const reader = readerOf(ctx, request);
        const previews = await ctx.store.listPreviews({ limit: request.query.limit });
        return { previews: ctx.redact(previews.map((p) => visible(p, reader))) };
      },
    );
    app.get(
      '/api/v1/previews/:id',
      {
        schema: {
          summary: 'One pull request preview by id (`github:owner/name#7`, URL-encoded)',
          tags: ['previews'],
          params: z.strictObject({ id: z.string().min(1) }),
          response: { 200: previewSchema },
        },
      },
      async (request) => {
        const reader = readerOf(ctx, request);
        const preview = await ctx.store.getPreview(request.params.id);
        if (!preview) {
          throw new WheelhouseError(
            'NOT_FOUND',
            `no preview ${request.params.id}; previews are made when a followed repository sends a pull request webhook (list them at /api/v1/previews)`,
            { details: { preview: request.params.id } },
          );
        }
        return ctx.redact(visible(preview, reader));
      },
    );
  };
}

/** Only the sections of apps the reader may see, masked like every other read. */
function visible(preview: PreviewRecord, reader: Reader): PreviewRecord {
  const apps = preview.report.apps.filter((a) => reader.may(a.app));
  return { ...preview, report: { ...preview.report, apps } };
}
