import { type Permission, ROUTE_EVENTS } from '../core/index.js';

/** Names wheelhouse.yaml may use. Adding a platform, provider or event is one entry here. */
export const PERMISSIONS = [
  'read',
  'sync',
  'lock',
  'write',
  'approve',
  'build',
  'admin',
] as const satisfies readonly Permission[];

export const CHAT_PLATFORMS = ['web', 'slack', 'teams', 'mattermost', 'discord', 'matrix', 'irc'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

export const WEBHOOK_PROVIDERS = [
  'github',
  'gitlab',
  'gitea',
  'bitbucket',
  'generic',
  'jenkins',
  'registry',
] as const;

/** Events a notification route can ask for: one list, in core (`ROUTE_EVENTS`). */
export const NOTIFICATION_EVENTS = ROUTE_EVENTS;

/** Platforms that need no `chat:` section to be used in a route. */
export const BUILTIN_PLATFORMS: readonly string[] = ['web'];
