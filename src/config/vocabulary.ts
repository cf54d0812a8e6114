import type { Permission } from '../core/index.js';

/** Names wheelhouse.yaml may use. Adding a platform, provider or event is one entry here. */
export const PERMISSIONS = [
  'read',
  'sync',
  'lock',
  'write',
  'approve',
  'admin',
] as const satisfies readonly Permission[];

export const CHAT_PLATFORMS = ['web', 'slack', 'teams', 'mattermost', 'discord', 'matrix', 'irc'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

export const WEBHOOK_PROVIDERS = ['github', 'gitlab', 'gitea', 'bitbucket', 'generic'] as const;

/** Events a notification route can ask for (`*` means all of them). */
export const NOTIFICATION_EVENTS = [
  'sync.started',
  'sync.succeeded',
  'sync.failed',
  'health.degraded',
  'health.recovered',
  'drift.detected',
  'approval.requested',
  'approval.decided',
  'source.failed',
  'config.invalid',
] as const;

/** Platforms that need no `chat:` section to be used in a route. */
export const BUILTIN_PLATFORMS: readonly string[] = ['web'];
