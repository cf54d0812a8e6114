import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage, type HttpEndpoint, type InboundRequest } from '../core/index.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';

export const DEFAULT_CHAT_BODY_LIMIT = 1024 * 1024;

/**
 * `/chat/<platform>/...`: the endpoints chat platforms call (Slack events, Teams activities,
 * Discord interactions). Public: each adapter verifies its platform's signature over the raw
 * body. Endpoints are looked up per request, so adapters configured in Git after the server
 * started are served too.
 */
export function chatEndpointRoutes(
  endpoints: () => readonly HttpEndpoint[],
  options: { bodyLimit?: number } = {},
) {
  const bodyLimit = options.bodyLimit ?? DEFAULT_CHAT_BODY_LIMIT;
  return async (app: FastifyInstance, ctx: ServerContext): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0] ?? request.url;
      const endpoint = endpoints().find((e) => e.path === path && e.method === request.method);
      if (!endpoint) {
        return sendError(
          reply,
          404,
          'NOT_FOUND',
          `no chat endpoint at ${request.method} ${path}; is the platform configured under chat: in wheelhouse.yaml?`,
        );
      }
      const inbound: InboundRequest = {
        method: request.method,
        path,
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [
            k.toLowerCase(),
            Array.isArray(v) ? v.join(', ') : v,
          ]),
        ),
        query: Object.fromEntries(new URLSearchParams(request.url.slice(path.length + 1))),
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      };
      try {
        const response = await endpoint.handle(inbound);
        reply.code(response.status);
        for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
        return reply.send(response.body ?? '');
      } catch (err) {
        ctx.log.error({ path, err: errorMessage(err) }, 'chat endpoint failed');
        return sendError(reply, 500, 'INTERNAL', `the ${path} endpoint failed; see Wheelhouse's log`);
      }
    };
    app.route({ method: ['GET', 'POST'], url: '/chat/*', handler });
  };
}
