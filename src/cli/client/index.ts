// The CLI's API client: `wheelhouse apps|status|diff|sync|refresh|history|logs|audit`, one file per command.
export { type ApiClient, createApiClient } from './api-client.js';
export { registerApps } from './apps.js';
export { registerAudit } from './audit.js';
export { DEFAULT_URL, resolveConnection } from './connection.js';
export { registerDiff } from './diff.js';
export { readEventStream, type SseMessage } from './event-stream.js';
export { registerHistory } from './history.js';
export { registerLogs } from './logs.js';
export { registerRefresh } from './refresh.js';
export { registerStatus } from './status.js';
export { registerSync } from './sync.js';
export { watchEvents } from './watch-events.js';
