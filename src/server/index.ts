// HTTP server: REST API v1, server-sent events, verified Git webhooks, Prometheus metrics, the dashboard.
export { ADMIN_TOKEN_FILE, type AdminToken, ensureAdminToken } from './admin-token.js';
export { type Authenticator, type Principal, principalForToken, principalOf } from './auth.js';
export { chatEndpointRoutes, DEFAULT_CHAT_BODY_LIMIT } from './chat-endpoints.js';
export { type AppCommit, type CommitLog, createCommitLog } from './commit-log.js';
export type { MutationGuard, MutationRequest, ServerContext } from './context.js';
export {
  type BuiltServer,
  buildServer,
  createServer,
  type DashboardOptions,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type RunningServer,
  type ServerDeps,
  type ServerOptions,
  type ServerPlugin,
} from './create-server.js';
export { CONTENT_SECURITY_POLICY, IMMUTABLE } from './dashboard/index.js';
export { errorBody, sendError, statusForCode } from './errors.js';
export { instrumentSource } from './instrument-source.js';
export { createMetrics, type MetricsOptions, type ServerMetrics } from './metrics.js';
export { imageRoutes } from './routes/images.js';
export { replicaRoutes } from './routes/replicas.js';
export type { ToolVersions } from './routes/version.js';
export { openSse, type SseStream } from './sse.js';
export { type PersonFilter, personFilter, type TimelineItem } from './timeline/index.js';
export { fastifyTrustProxy, parseTrustProxy, type TrustProxy } from './trust-proxy.js';
export type { HookEvent, WebhookProvider } from './webhooks/provider.js';
export { webhookProviders } from './webhooks/providers.js';
export { DEFAULT_WEBHOOK_BODY_LIMIT, type WebhookOptions } from './webhooks/routes.js';
