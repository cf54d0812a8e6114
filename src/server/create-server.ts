import type { AddressInfo } from 'node:net';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { SERVER_DEFAULTS } from '../config/index.js';
import {
  type AuditInput,
  type ControlConfig,
  type Engine,
  type Logger,
  type RepoRef,
  type SourceProvider,
  type Store,
  WheelhouseError,
} from '../core/index.js';
import type { Redactor } from '../util/index.js';
import { type AdminToken, ensureAdminToken } from './admin-token.js';
import { type Authenticator, createAuthHook } from './auth.js';
import { createCommitLog } from './commit-log.js';
import type { MutationGuard, ServerContext } from './context.js';
import { dashboardRoutes, defaultWebRoot } from './dashboard/index.js';
import { attachDeliveryMetrics, deliveryRoutes } from './delivery/index.js';
import { createErrorHandler, sendError } from './errors.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import {
  cliTokenRoutes,
  createCliTokens,
  createIssuerCache,
  createPendingLogins,
  githubRoutes,
  oidcRoutes,
  providerLogoutUrl,
  providerRefresher,
} from './oidc/index.js';
import { openApiRoute, registerOpenApi } from './openapi.js';
import { readGate } from './read-gate.js';
import { createConfigRedactor } from './redaction.js';
import { appRoutes } from './routes/apps.js';
import { auditRoutes } from './routes/audit.js';
import { commitRoutes } from './routes/commits.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { logRoutes } from './routes/logs.js';
import { metricsRoutes } from './routes/metrics.js';
import { operationRoutes } from './routes/operations.js';
import { previewRoutes } from './routes/previews.js';
import { type ToolVersions, versionRoutes } from './routes/version.js';
import {
  type ActiveSession,
  createSessions,
  sessionAuthenticator,
  sessionRoutes,
  signInRoutes,
} from './session/index.js';
import { createStreamRegistry } from './sse.js';
import { createStreamQuota } from './stream-quota.js';
import { timelineRoutes } from './timeline/index.js';
import { fastifyTrustProxy, type TrustProxy } from './trust-proxy.js';
import { type WebhookOptions, webhookRoutes } from './webhooks/routes.js';
import { describeActor } from './whoami.js';

/** A route plugin another part registers (the built-in chat, the dashboard). */
export type ServerPlugin = (app: FastifyInstance, ctx: ServerContext) => Promise<void>;

export interface ServerDeps {
  engine: Engine;
  store: Store;
  log: Logger;
  /** Where `admin-token` lives (written on first start, mode 0600). */
  dataDir: string;
  /** The config in force; default `engine.config()` (undefined while none has loaded). */
  config?: () => ControlConfig | undefined;
  /** Environment to read webhook secrets and secret values from; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The text redaction in force, as the rest of Wheelhouse uses it (ChatOps': the config's
   * secrets, the values of manifests' secretEnv, secretPatterns); asked once per response.
   * Default: built from the config alone.
   */
  redactor?: () => Redactor;
  /** Pass the metrics `instrumentSource` was given, so git fetches show up; default: new ones. */
  metrics?: ServerMetrics;
  /** Access policy / locks / approvals for mutating calls (the ChatOps actions service). */
  guard?: MutationGuard;
  /** More ways to authenticate `/api` (tried when there is no Authorization header). */
  authenticators?: readonly Authenticator[];
  /** Route plugins: `api` ones sit behind the bearer-token check, `public` ones do not. */
  plugins?: { api?: readonly ServerPlugin[]; public?: readonly ServerPlugin[] };
  version?: string;
  /** The render tools' versions, for `GET /api/v1/version` (empty there when absent). */
  tools?: ToolVersions;
  /**
   * The git source apps are read from: fills `commitSubject` in app answers and serves
   * `GET /api/v1/apps/{app}/commits` and the commits of the timeline.
   */
  source?: SourceProvider;
  /** The control repo, for apps that live in it (with `source`). */
  controlRepo?: RepoRef;
  /** Serve the dashboard at `/`, with sign-in sessions and `GET /api/v1/timeline`. */
  dashboard?: DashboardOptions;
}

export interface DashboardOptions {
  /** The built dashboard; default `dist/web` of this package. */
  webRoot?: string;
  /** How long a sign-in lasts; default 12 hours. */
  sessionTtlMs?: number;
  /** Sign-in attempts per client address; default bursts of 30, then 30 a minute. */
  signInRateLimit?: { perMinute: number; burst: number };
  /** Least time between two fetches of an OIDC issuer's key set; default 30 s (tests rotate keys). */
  jwksCooldownMs?: number;
}

export interface ServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 7070; 0 picks a free port. */
  port?: number;
  /** Largest JSON body of an API request in bytes; default 1 MiB. */
  bodyLimit?: number;
  webhooks?: WebhookOptions;
  /** Interval of SSE heartbeat comments; default 15 s. */
  heartbeatMs?: number;
  /**
   * Open `logs?follow=1` streams allowed per user and in all; defaults in SERVER_DEFAULTS
   * (`logStreamsPerUser`, `logStreamsTotal`). Past either, the API answers 429.
   */
  logStreams?: { perUser?: number; total?: number };
  /**
   * Behind reverse proxies: which peers' X-Forwarded-* headers count (see `TrustProxy`): `true` or
   * a hop count, or the proxies' addresses/CIDRs. The client address is the rightmost
   * X-Forwarded-For entry that is not a trusted proxy. Default false (the peer address).
   */
  trustProxy?: TrustProxy;
}

export interface BuiltServer {
  app: FastifyInstance;
  context: ServerContext;
  adminToken: AdminToken;
  /** Ends event streams, lets in-flight requests finish, then closes. */
  close(): Promise<void>;
}

export interface RunningServer extends Omit<BuiltServer, 'adminToken'> {
  /** `http://127.0.0.1:7070` */
  url: string;
  port: number;
  /** Where the admin token is (print this, never the token), and whether it was just created. */
  adminTokenFile: string;
  adminTokenCreated: boolean;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7070;

/** Builds the HTTP server without listening (tests use `app.inject`). */
export async function buildServer(deps: ServerDeps, options: ServerOptions = {}): Promise<BuiltServer> {
  const log = deps.log.child({ layer: 'server' });
  const adminToken = await ensureAdminToken(deps.dataDir);
  const env = deps.env ?? process.env;
  const config =
    deps.config ??
    (() => {
      try {
        return deps.engine.config();
      } catch {
        return undefined;
      }
    });
  const metrics = deps.metrics ?? createMetrics();
  const detachMetrics = metrics.attach(deps.engine);
  const redact = createConfigRedactor(config, env, deps.redactor);
  const streams = createStreamRegistry();
  const logStreams = createStreamQuota(
    'log',
    {
      perUser: options.logStreams?.perUser ?? SERVER_DEFAULTS.logStreamsPerUser,
      total: options.logStreams?.total ?? SERVER_DEFAULTS.logStreamsTotal,
    },
    { perUser: '`wheelhouse up --log-streams-per-user`', total: '`wheelhouse up --log-streams-total`' },
  );
  const context: ServerContext = {
    engine: deps.engine,
    store: deps.store,
    log,
    config,
    env,
    redact,
    streams,
    logStreams,
    metrics,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    ...(deps.guard ? { guard: deps.guard } : {}),
    ...(deps.source
      ? {
          commits: createCommitLog({
            engine: deps.engine,
            source: deps.source,
            ...(deps.controlRepo ? { controlRepo: deps.controlRepo } : {}),
            config,
            log,
          }),
        }
      : {}),
    async audit(input: AuditInput) {
      const entry = await deps.store.appendAudit(redact(input));
      deps.engine.events.publish({ type: 'audit.appended', entry });
      return entry;
    },
  };

  const detachDelivery = attachDeliveryMetrics(context);

  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: fastifyTrustProxy(options.trustProxy),
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    return503OnClosing: true,
  });
  // Parses `Cookie` for the dashboard's session (`request.cookies`, `reply.setCookie`).
  await app.register(fastifyCookie);
  app.setErrorHandler(createErrorHandler(log));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      404,
      'NOT_FOUND',
      `no route ${request.method} ${request.url.split('?')[0]}; the API is under /api/v1 and lists its routes at /api/v1/openapi.json`,
    ),
  );
  app.addHook('preClose', async () => streams.closeAll());

  const started = new WeakMap<FastifyRequest, bigint>();
  app.addHook('onRequest', async (request) => {
    started.set(request, process.hrtime.bigint());
  });
  app.addHook('onResponse', async (request, reply) => {
    const start = started.get(request);
    if (start === undefined) return;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      seconds,
    );
    log.debug(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(seconds * 1000) },
      'request',
    );
  });

  const version = deps.version ?? process.env.npm_package_version ?? '0.1.0';
  await registerOpenApi(app, version);
  const sessions = deps.dashboard
    ? createSessions({
        store: deps.store,
        adminToken: adminToken.token,
        log,
        ...(deps.dashboard.sessionTtlMs !== undefined ? { ttlMs: deps.dashboard.sessionTtlMs } : {}),
      })
    : undefined;
  const sessionOptions = sessions
    ? {
        sessions,
        log,
        adminTokenPath: adminToken.path,
        audit: context.audit,
        describe: (actor: string) => describeActor(config(), actor),
        logoutUrl: (session: ActiveSession, request: FastifyRequest) =>
          providerLogoutUrl(session, request, config()?.auth?.oidc?.clientId),
        ...(deps.dashboard?.signInRateLimit ? { rateLimit: deps.dashboard.signInRateLimit } : {}),
      }
    : undefined;
  // `wheelhouse login`'s short-lived tokens (single sign-on through the dashboard's routes).
  const cliTokens = createCliTokens();
  const authenticators = [
    ...(sessions ? [sessionAuthenticator(sessions)] : []),
    ...(deps.authenticators ?? []),
  ];
  await app.register(healthRoutes(context, version));
  await app.register(metricsRoutes(context));
  await app.register(webhookRoutes(context, options.webhooks));
  for (const plugin of deps.plugins?.public ?? []) await app.register((child) => plugin(child, context));
  if (sessionOptions) {
    await app.register(signInRoutes(sessionOptions));
    const ssoOptions = {
      config,
      env,
      sessions: sessionOptions.sessions,
      issuers: createIssuerCache(
        deps.dashboard?.jwksCooldownMs !== undefined ? { jwksCooldownMs: deps.dashboard.jwksCooldownMs } : {},
      ),
      pending: createPendingLogins(),
      cliTokens,
      log,
      audit: context.audit,
    };
    await app.register(oidcRoutes(ssoOptions));
    await app.register(githubRoutes(ssoOptions));
    await app.register(
      cliTokenRoutes({
        cliTokens,
        audit: context.audit,
        renewAtProvider: providerRefresher(config, env, ssoOptions.issuers),
      }),
    );
    await app.register(dashboardRoutes({ root: deps.dashboard?.webRoot ?? defaultWebRoot() }));
  }

  await app.register(async (api) => {
    api.addHook(
      'onRequest',
      createAuthHook({
        adminToken: adminToken.token,
        adminTokenPath: adminToken.path,
        store: deps.store,
        bearer: (token: string) => cliTokens.resolve(token),
        ...(authenticators.length > 0 ? { authenticators } : {}),
      }),
    );
    api.addHook('preHandler', readGate(context));
    await api.register(appRoutes(context));
    await api.register(operationRoutes(context));
    await api.register(logRoutes(context));
    await api.register(auditRoutes(context));
    await api.register(eventRoutes(context));
    await api.register(versionRoutes(version, deps.tools));
    if (context.commits) await api.register(commitRoutes(context));
    if (sessionOptions) {
      await api.register(sessionRoutes(sessionOptions));
      await api.register(timelineRoutes(context));
    }
    for (const plugin of deps.plugins?.api ?? []) await api.register((child) => plugin(child, context));
    await api.register(deliveryRoutes(context));
    await api.register(previewRoutes(context));
    await api.register(openApiRoute());
  });
  await app.ready();

  let closing: Promise<void> | undefined;
  return {
    app,
    context,
    adminToken,
    close() {
      closing ??= (async () => {
        streams.closeAll();
        await app.close();
        detachMetrics();
        detachDelivery();
      })();
      return closing;
    },
  };
}

/**
 * Builds and starts the HTTP server on `host:port` (default 127.0.0.1:7070). `wheelhouse up`
 * calls this once the engine is started, logs `adminTokenFile`, and calls `close()` on shutdown.
 */
export async function createServer(deps: ServerDeps, options: ServerOptions = {}): Promise<RunningServer> {
  const built = await buildServer(deps, options);
  const host = options.host ?? DEFAULT_HOST;
  try {
    await built.app.listen({ host, port: options.port ?? DEFAULT_PORT });
  } catch (err) {
    await built.close();
    throw listenError(err, host, options.port ?? DEFAULT_PORT);
  }
  const address = built.app.server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    app: built.app,
    context: built.context,
    close: built.close,
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    adminTokenFile: built.adminToken.path,
    adminTokenCreated: built.adminToken.created,
  };
}

function listenError(err: unknown, host: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new WheelhouseError(
      'UNAVAILABLE',
      `cannot listen on ${host}:${port}: the port is in use; stop the other server or pass --port`,
      { cause: err },
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}
