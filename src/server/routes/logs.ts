import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorMessage, isWheelhouseError, type LogLine } from '../../core/index.js';
import { logLineSchema, logTailSchema } from '../../wire/index.js';
import { principalOf } from '../auth.js';
import type { ServerContext } from '../context.js';
import { openSse } from '../sse.js';
import { zodRoutes } from '../zod-routes.js';

const MAX_TAIL = 10_000;

/** A resource's log tail, or a live follow as server-sent events. */
export function logRoutes(ctx: ServerContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    app.get(
      '/api/v1/apps/:app/resources/:name/logs',
      {
        schema: {
          summary: 'Log lines of one resource (a process, a container); `follow=1` streams new lines',
          description:
            'Needs the read permission on the app. Without `follow`, answers JSON with the last `tail` lines. With `follow=1`, answers `text/event-stream`: the tail, then new lines as they come, each an `event: log` whose data is a LogLine; `event: end` when the log ends, `event: error` if reading fails. Follow streams are capped per user and in all (429 past a cap), and a client that leaves 1 MiB unread is dropped.',
          tags: ['apps'],
          params: z.object({
            app: z.string().min(1).describe('app name'),
            name: z.string().min(1).describe('resource name or key'),
          }),
          querystring: z.strictObject({
            tail: z.coerce.number().int().min(0).max(MAX_TAIL).default(100),
            follow: z.enum(['1', '0', 'true', 'false']).default('0').describe('1 or true to stream'),
          }),
          response: {
            200: {
              description: 'The tail as JSON, or with follow=1 an event stream of LogLine',
              content: {
                'application/json': { schema: logTailSchema },
                'text/event-stream': { schema: logLineSchema },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const { app: name, name: resource } = request.params;
        const query = request.query;
        const tail = query.tail;
        const follow = query.follow === '1' || query.follow === 'true';
        // A follow holds a reader of the workload's files and a response: count it before either exists.
        const release = follow ? ctx.logStreams.acquire(principalOf(request).user) : () => {};
        const abort = new AbortController();
        abort.signal.addEventListener('abort', release, { once: true });
        let iterable: AsyncIterable<LogLine>;
        try {
          iterable = ctx.engine.logs(name, resource, { tail, follow, signal: abort.signal });
        } catch (err) {
          abort.abort();
          throw err;
        }
        const iterator = iterable[Symbol.asyncIterator]();
        if (!follow) {
          const lines: LogLine[] = [];
          try {
            for (let next = await iterator.next(); !next.done; next = await iterator.next())
              lines.push(next.value);
          } finally {
            abort.abort();
          }
          return reply.send({ app: name, resource, lines: ctx.redact(tail === 0 ? [] : lines.slice(-tail)) });
        }
        // Read the first line before taking over the response, so an unknown resource is a JSON 404.
        const first = iterator.next();
        await Promise.race([first, delay(250)]).catch((err: unknown) => {
          abort.abort();
          throw err;
        });
        const stream = openSse(reply, ctx.streams, { heartbeatMs: ctx.heartbeatMs });
        stream.signal.addEventListener('abort', () => abort.abort());
        if (reply.raw.destroyed) stream.close(); // the client left while the first line was awaited
        void pump(stream, iterator, first, ctx);
        return reply;
      },
    );
  };
}

async function pump(
  stream: ReturnType<typeof openSse>,
  iterator: AsyncIterator<LogLine>,
  first: Promise<IteratorResult<LogLine>>,
  ctx: ServerContext,
): Promise<void> {
  try {
    for (let next = await first; !next.done; next = await iterator.next()) {
      if (!stream.send({ event: 'log', data: ctx.redact(next.value) })) break;
    }
    stream.send({ event: 'end', data: { reason: 'log ended' } });
  } catch (err) {
    if (!stream.closed) {
      const code = isWheelhouseError(err) ? err.code : 'INTERNAL';
      stream.send({ event: 'error', data: { code, message: ctx.redact(errorMessage(err)) } });
    }
  } finally {
    await iterator.return?.().catch(() => undefined);
    stream.close();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
