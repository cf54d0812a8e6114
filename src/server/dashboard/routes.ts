import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { type Asset, type AssetReader, createAssetReader, safeSegments } from './assets.js';

export interface DashboardRouteOptions {
  /** The built dashboard (`dist/web`). */
  root: string;
}

/** Hashed file names never change content: cache them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** What the page may load: only this server's own scripts, styles and API (no CDN, no inline script). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the server, never to the dashboard's client-side routes. */
const SERVER_PREFIXES = ['/api/', '/hooks/', '/chat/', '/auth/'];
const SERVER_PATHS = new Set(['/api', '/hooks', '/metrics', '/healthz', '/readyz']);

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wheelhouse: dashboard not built</title></head>
<body><main><h1>The Wheelhouse dashboard is not built</h1>
<p>This server has no <code>dist/web</code>. Run <code>npm run build</code> in the Wheelhouse checkout
(it builds the server and the dashboard), then restart <code>wheelhouse up</code>.</p>
<p>The HTTP API works without it: see <code>/api/v1/openapi.json</code>.</p></main></body></html>
`;

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  asset: Asset,
  cacheControl: string,
): FastifyReply {
  reply
    .header('Cache-Control', cacheControl)
    .header('ETag', asset.etag)
    .header('X-Content-Type-Options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.type(asset.type).send(asset.body);
}

function isClientRoute(path: string): boolean {
  if (SERVER_PATHS.has(path) || SERVER_PREFIXES.some((p) => path.startsWith(p))) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

/**
 * Serves the dashboard at `/`: hashed assets under `/assets/` with a year-long immutable cache,
 * `index.html` with `no-cache` for `/` and every client-side route (the SPA fallback), and a page
 * saying how to build it when `dist/web` is missing. A public route plugin (the page itself needs
 * no token; its API calls do).
 */
export function dashboardRoutes(options: DashboardRouteOptions) {
  const reader: AssetReader = createAssetReader(options.root);
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (!isClientRoute(path)) return reply.callNotFound();
    const index = await reader.read(['index.html']);
    if (!index) {
      return reply
        .code(503)
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT);
    }
    reply
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .header('X-Frame-Options', 'DENY')
      .header('Referrer-Policy', 'no-referrer');
    return send(request, reply, index, 'no-cache');
  };
  // Pages and assets are not API: `hide` keeps them out of the OpenAPI document.
  const hidden = { schema: { hide: true } as FastifySchema };
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { '*': string } }>('/assets/*', hidden, async (request, reply) => {
      const rest = request.params['*'];
      const segments = safeSegments(rest);
      const asset = segments ? await reader.read(['assets', ...segments]) : undefined;
      if (!asset) return reply.callNotFound();
      return send(request, reply, asset, IMMUTABLE);
    });
    app.get('/', hidden, page);
    app.get('/*', hidden, page);
  };
}
