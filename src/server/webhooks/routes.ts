import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SERVER_DEFAULTS } from '../../config/index.js';
import { errorMessage } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { sendError } from '../errors.js';
import { zodRoutes } from '../zod-routes.js';
import { announceCiCompletion } from './ci-completion.js';
import { matchPushedRepos, refreshTargets } from './match.js';
import type { WebhookProvider } from './provider.js';
import { webhookProviders } from './providers.js';
import { previewPullRequest } from './pull-preview.js';
import { createRequestLimiter } from './rate-limit.js';
import { signedBytesKey, staleTimestamp } from './replay.js';

export interface WebhookOptions {
  /** Largest accepted body in bytes (413 above). Default 1 MiB. */
  bodyLimit?: number;
  /** Deliveries per minute per provider and client address, with a burst allowance (429 above). */
  rateLimit?: { perMinute: number; burst: number };
  providers?: readonly WebhookProvider[];
  /**
   * How old (or how far ahead) a signed timestamp may be, in seconds; default
   * SERVER_DEFAULTS.webhookMaxAgeSeconds.
   */
  maxAgeSeconds?: number;
  /** The clock signed timestamps are compared with (tests move it); default Date.now. */
  now?: () => number;
}

export const DEFAULT_WEBHOOK_BODY_LIMIT = 1024 * 1024;

const deliverySchema = z.object({
  status: z.enum(['accepted', 'pong', 'ignored', 'unknown-repo', 'duplicate', 'replay']),
  event: z.string().optional(),
  delivery: z.string().optional(),
  apps: z.array(z.string()).optional(),
  note: z.string().optional(),
  /** Id of the preview a pull request delivery starts (`/api/v1/previews/<id>`). */
  preview: z.string().optional(),
});

/**
 * `POST /hooks/<provider>`: verified Git webhooks. Order per delivery: rate limit → secret
 * configured → signature over the raw body (constant time) → signed timestamp fresh (where the
 * provider signs one) → parse → once per delivery id → once per signed bytes (see replay.ts) →
 * ping / push / other. A push refreshes every app whose source is the pushed repository.
 */
export function webhookRoutes(ctx: ServerContext, options: WebhookOptions = {}) {
  const now = options.now ?? Date.now;
  const maxAgeSeconds = options.maxAgeSeconds ?? SERVER_DEFAULTS.webhookMaxAgeSeconds;
  const bodyLimit = options.bodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT;
  const limiter = createRequestLimiter(options.rateLimit ?? { perMinute: 120, burst: 60 });
  const outcomes = new WeakMap<FastifyRequest, string>();
  const log = ctx.log.child({ layer: 'webhooks' });

  return async (scope: FastifyInstance): Promise<void> => {
    const app = zodRoutes(scope);
    // The signature covers the exact bytes received: keep the raw body, parse after verifying.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    app.addHook('onResponse', async (request, reply) => {
      const provider = (request.routeOptions.config as { provider?: string }).provider ?? 'unknown';
      const outcome = outcomes.get(request) ?? outcomeOfStatus(reply.statusCode);
      ctx.metrics.webhookRequests.inc({ provider, outcome });
      if (!outcomes.has(request))
        log.warn({ provider, status: reply.statusCode, outcome }, `webhook delivery refused: ${outcome}`);
    });

    for (const provider of options.providers ?? webhookProviders) {
      app.post(
        `/hooks/${provider.name}`,
        {
          bodyLimit,
          schema: {
            summary: `Webhook receiver for ${provider.name} (verified with ${provider.signatureHeader})`,
            description: `Authenticated by the provider's signature, not a token. The secret comes from the env var named by \`webhooks.${provider.name}.secretEnv\` in wheelhouse.yaml; without one every delivery is refused. Push events refresh the apps whose source is the pushed repository.`,
            tags: ['webhooks'],
            security: [],
            response: { 200: deliverySchema, 202: deliverySchema },
          },
          config: { provider: provider.name },
        },
        async (request, reply) => {
          const result = await receive(provider, request, reply);
          outcomes.set(request, result);
          return reply;
        },
      );
    }
  };

  async function receive(
    provider: WebhookProvider,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<string> {
    const name = provider.name;
    const wait = limiter.take(`${name}:${request.ip}`);
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      sendError(
        reply,
        429,
        'RATE_LIMITED',
        `too many ${name} webhook deliveries from ${request.ip}; retry in ${wait}s`,
      );
      return 'rate_limited';
    }
    const secret = secretFor(name);
    if (!secret.value) {
      if (!ctx.config()) {
        sendError(reply, 503, 'UNAVAILABLE', secret.why);
        return 'error';
      }
      sendError(reply, 403, 'FORBIDDEN', secret.why);
      return 'not_configured';
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verdict = provider.verify(
      request.headers,
      raw,
      secret.value,
      (request.query ?? {}) as Readonly<Record<string, unknown>>,
    );
    if (verdict !== 'ok') {
      const message =
        verdict === 'missing'
          ? `missing ${provider.signatureHeader} header: set the webhook's secret on the ${name} side to the value of ${secret.env}`
          : `${provider.signatureHeader} does not match: the webhook's secret on the ${name} side must equal the value of ${secret.env}`;
      sendError(reply, 401, 'UNAUTHENTICATED', message);
      return 'unauthorized';
    }
    const stamp = provider.signedTimestamp?.(request.headers);
    if (stamp !== undefined) {
      const stale = staleTimestamp(stamp, now(), maxAgeSeconds, provider.timestampHeader ?? 'the timestamp');
      if (stale) {
        sendError(reply, 401, 'UNAUTHENTICATED', stale);
        return 'stale';
      }
    }
    let payload: unknown;
    try {
      const contentType = request.headers['content-type'];
      payload = provider.parse ? provider.parse(raw, contentType) : JSON.parse(raw.toString('utf8'));
    } catch (err) {
      sendError(
        reply,
        400,
        'BAD_REQUEST',
        `malformed ${name} webhook body: ${errorMessage(err)}; send the JSON payload`,
      );
      return 'malformed';
    }
    const delivery = provider.deliveryId(request.headers);
    const event = provider.event(request.headers, payload);
    const dlog = log.child({ provider: name, delivery: delivery ?? '(none)', event: event.name });
    if (delivery !== undefined && !(await ctx.store.markDelivered(name, delivery))) {
      dlog.info('webhook delivery already processed; not processing it again');
      reply.code(200).send({ status: 'duplicate', event: event.name, delivery });
      return 'duplicate';
    }
    const withDelivery = delivery === undefined ? {} : { delivery };
    if (!(await ctx.store.markDelivered(`${name}:signed`, signedBytesKey(raw, stamp)))) {
      dlog.warn('webhook delivery with the same signed body as an earlier one; not processing it again');
      reply.code(200).send({
        status: 'replay',
        event: event.name,
        ...withDelivery,
        note: 'the same signed body was delivered before (under another delivery id): a replay is not processed again',
      });
      return 'replay';
    }
    if (event.kind === 'ping') {
      dlog.info('webhook ping');
      reply.code(200).send({ status: 'pong', event: event.name, ...withDelivery });
      return 'ping';
    }
    if (event.kind === 'ci') {
      const apps = announceCiCompletion(ctx, event);
      dlog.info({ apps, run: event.run, result: event.result }, 'CI run completed');
      reply.code(202).send({ status: 'accepted', event: event.name, ...withDelivery, apps });
      return 'accepted';
    }
    if (event.kind === 'pull') {
      void previewPullRequest(ctx, name, event, dlog);
      dlog.info({ pull: event.id, revision: event.revision }, 'pull request: previewing its head');
      reply
        .code(202)
        .send({ status: 'accepted', event: event.name, ...withDelivery, preview: `${name}:${event.id}` });
      return 'accepted';
    }
    if (event.kind === 'other') {
      const note = event.note ?? 'only push events trigger a refresh';
      dlog.info(`webhook event ignored: ${note}`);
      reply.code(202).send({ status: 'ignored', event: event.name, ...withDelivery, note });
      return 'ignored';
    }
    if (event.repos.length === 0) {
      sendError(
        reply,
        400,
        'BAD_REQUEST',
        `the ${name} push payload names no repository URL; send the host's standard push payload`,
      );
      return 'malformed';
    }
    const match = matchPushedRepos(event.repos, ctx.engine.apps());
    for (const url of refreshTargets(event.repos, match)) {
      ctx.engine
        .refreshRepo(url)
        .catch((err: unknown) => dlog.warn(`refresh after push failed: ${errorMessage(err)}`));
    }
    if (match.apps.length === 0) {
      dlog.info({ repos: event.repos }, 'push for a repository no app follows');
      reply.code(202).send({
        status: 'unknown-repo',
        event: event.name,
        ...withDelivery,
        apps: [],
        note: `no app follows ${event.repos[0]}; check the source.repo of your apps in wheelhouse.yaml`,
      });
      return 'unknown_repo';
    }
    dlog.info({ apps: match.apps, ref: event.ref, revision: event.revision }, 'push: refreshing apps');
    await ctx.audit({
      actor: `webhook:${name}`,
      action: 'webhook.push',
      ...(match.apps.length === 1 && match.apps[0] ? { app: match.apps[0] } : {}),
      platform: name,
      decision: 'allowed',
      result: `refresh of ${match.apps.length} app(s)`,
      details: {
        apps: match.apps,
        repo: event.repos[0],
        ...(event.ref ? { ref: event.ref } : {}),
        ...(event.revision ? { revision: event.revision } : {}),
        ...withDelivery,
      },
    });
    reply.code(202).send({ status: 'accepted', event: event.name, ...withDelivery, apps: match.apps });
    return 'accepted';
  }

  function secretFor(provider: string): { value?: string; env: string; why: string } {
    const config = ctx.config();
    if (!config) {
      return {
        env: '(unknown)',
        why: `no valid wheelhouse.yaml is loaded yet, so ${provider} webhooks cannot be verified; retry once the server is ready (/readyz)`,
      };
    }
    const entry = config.webhooks[provider];
    if (!entry) {
      return {
        env: '(none)',
        why: `the ${provider} webhook has no secret configured, so every delivery is refused: add \`webhooks: { ${provider}: { secretEnv: ${provider.toUpperCase()}_HOOK_SECRET } }\` to wheelhouse.yaml and set that variable for \`wheelhouse up\``,
      };
    }
    const value = ctx.env[entry.secretEnv];
    if (!value) {
      return {
        env: entry.secretEnv,
        why: `the env var ${entry.secretEnv} (webhooks.${provider}.secretEnv) is not set for \`wheelhouse up\`, so every ${provider} delivery is refused; set it to the webhook's secret and restart`,
      };
    }
    return { value, env: entry.secretEnv, why: '' };
  }
}

function outcomeOfStatus(status: number): string {
  if (status === 413) return 'too_large';
  if (status === 400 || status === 415) return 'malformed';
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status >= 500) return 'error';
  return `status_${status}`;
}
