// Notifications: engine events → routed, threaded, deduplicated and rate-limited chat messages.
export { createDeduper, type Deduper } from './dedupe.js';
export { createWeeklyDigest, type WeeklyDigest, type WeeklyDigestDeps } from './digest.js';
export { buildNotice, type Notice, type NoticeContext } from './notice.js';
export { createNotifier, type Notifier, type NotifierOptions } from './notifier.js';
export { createNotificationLimiter, type NotificationLimiter } from './rate-limit.js';
export { matchRoutes } from './route.js';
