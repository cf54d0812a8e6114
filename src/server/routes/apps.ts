import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppStatus } from '../../core/index.js';
import {
  appDetailSchema,
  appListQuery,
  appParams,
  appSummarySchema,
  controlStatusSchema,
  diffSchema,
  limitQuery,
  syncRecordSchema,
} from '../../wire/index.js';
import { acceptsGzip, createAppListCache, matchesEtag } from '../app-list-cache.js';
import type { ServerContext } from '../context.js';
import { readerOf } from '../read-access.js';
import { zodRoutes } from '../zod-routes.js';

/** Read-only app routes: the list, one app, its diff and its history. */
export function appRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    const list = createAppListCache(ctx, (apps) => withSubjects(ctx, apps));
    scope.addHook('onClose', async () => list.close());
    app.get(
      '/api/v1/apps',
      {
        schema: {
          summary:
            'List the apps the caller may read, with their sync status, health, revision and last sync; ' +
            'filtered by `environment` and `health`, paged by `limit` and `cursor`, with an ETag (304 on `If-None-Match`)',
          tags: ['apps'],
          querystring: appListQuery,
          response: {
            200: z.object({
              apps: z.array(appSummarySchema),
              // Why the newest wheelhouse.yaml is not in force (and which one is): shown above the list.
              control: controlStatusSchema,
              /** Pass as `cursor` for the next page; absent on the last page. */
              nextCursor: z.string().optional(),
            }),
          },
        },
      },
      async (request, reply) => {
        const listed = await list.body(readerOf(ctx, request), request.query);
        const gzipped = acceptsGzip(request.headers['accept-encoding']) ? listed.gzipped : undefined;
        const etag = gzipped?.etag ?? listed.etag;
        reply
          .header('etag', etag)
          .header('cache-control', 'private, no-cache')
          .header('vary', 'accept-encoding');
        if (matchesEtag(request.headers['if-none-match'], etag)) return sendListBody(reply, undefined);
        return sendListBody(reply, gzipped ? await gzipped.bytes() : listed.body);
      },
    );

    app.get(
      '/api/v1/control',
      {
        schema: {
          summary:
            'The control repo: the revision whose wheelhouse.yaml is in force, and why the newest one is not',
          tags: ['apps'],
          response: { 200: controlStatusSchema },
        },
      },
      async () => ctx.redact.strings(ctx.engine.control()),
    );

    app.get(
      '/api/v1/apps/:app',
      {
        schema: {
          summary: 'One app: status, resources, lock, pin, last error and the operation in progress',
          tags: ['apps'],
          params: appParams,
          response: { 200: appDetailSchema },
        },
      },
      async (request) => {
        const { app: name } = request.params;
        const [status] = await withSubjects(ctx, [ctx.engine.status(name)]);
        return ctx.redact.strings(status);
      },
    );

    app.get(
      '/api/v1/apps/:app/diff',
      {
        schema: {
          summary: 'What a sync would change: desired (Git) against live, per resource and field',
          tags: ['apps'],
          params: appParams,
          response: { 200: diffSchema },
        },
      },
      async (request) => {
        const { app: name } = request.params;
        return ctx.redact(await ctx.engine.diff(name));
      },
    );

    app.get(
      '/api/v1/apps/:app/history',
      {
        schema: {
          summary: 'Sync history of an app, newest first',
          tags: ['apps'],
          params: appParams,
          querystring: limitQuery,
          response: {
            200: z.object({ app: z.string(), syncs: z.array(syncRecordSchema) }),
          },
        },
      },
      async (request) => {
        const { app: name } = request.params;
        const { limit } = request.query;
        ctx.engine.status(name); // NOT_FOUND for an unknown app, with suggestions
        return { app: name, syncs: ctx.redact(await ctx.engine.history(name, limit)) };
      },
    );
  };
}

/**
 * Fills `commitSubject` (the subject of the revision each app runs) from the commit log when the
 * engine left it out; lookups are cached per commit, so a list of many apps costs git once.
 */
async function withSubjects<T extends Pick<AppStatus, 'name' | 'revision' | 'commitSubject'>>(
  ctx: ServerContext,
  apps: T[],
): Promise<T[]> {
  const commits = ctx.commits;
  if (!commits) return apps;
  const out = [...apps];
  const waits: Promise<void>[] = [];
  out.forEach((app, i) => {
    if (app.commitSubject !== undefined || !app.revision) return;
    const subject = commits.knownSubject(app.name, app.revision);
    if (subject !== undefined) {
      out[i] = { ...app, commitSubject: subject };
      return;
    }
    const revision = app.revision;
    waits.push(
      commits.subject(app.name, revision).then((found) => {
        if (found !== undefined) out[i] = { ...app, commitSubject: found };
      }),
    );
  });
  if (waits.length > 0) await Promise.all(waits);
  return out;
}

/**
 * The cached list as it is (a string with a JSON content type is not serialised again; bytes are
 * the gzipped list), or 304 Not Modified without a body.
 */
function sendListBody(reply: FastifyReply, body: string | Buffer | undefined): FastifyReply {
  if (body === undefined) return reply.code(304).send();
  if (typeof body !== 'string') reply.header('content-encoding', 'gzip');
  return reply.type('application/json; charset=utf-8').send(body);
}
