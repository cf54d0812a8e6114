import { z } from 'zod';
import { CHAT_PLATFORMS, NOTIFICATION_EVENTS, WEBHOOK_PROVIDERS } from '../vocabulary.js';
import { envName, namePattern, optional, regex, strictObject, text } from './fields.js';

const routeSchema = strictObject({
  platform: z.enum(CHAT_PLATFORMS),
  channel: text('channel'),
  apps: optional(z.array(namePattern('app'))),
  environments: optional(z.array(namePattern('environment'))),
  events: optional(z.array(z.enum(['*', ...NOTIFICATION_EVENTS]))),
  /** `weekly`: every Monday, the delivery figures of the route's apps for the week before. */
  digest: optional(z.enum(['weekly'])),
});

export const notificationsSchema = strictObject({ routes: optional(z.array(routeSchema)) });

const webhookSchema = strictObject({ secretEnv: envName() });

export const webhooksSchema = strictObject(
  Object.fromEntries(WEBHOOK_PROVIDERS.map((provider) => [provider, optional(webhookSchema)])) as Record<
    (typeof WEBHOOK_PROVIDERS)[number],
    ReturnType<typeof optional<typeof webhookSchema>>
  >,
);

/** Each adapter validates its own section; here only its presence and shape. */
const chatSectionSchema = z.record(z.string(), z.unknown());

export const chatSchema = strictObject(
  Object.fromEntries(CHAT_PLATFORMS.map((platform) => [platform, optional(chatSectionSchema)])) as Record<
    (typeof CHAT_PLATFORMS)[number],
    ReturnType<typeof optional<typeof chatSectionSchema>>
  >,
);

export const secretPatternsSchema = z.array(regex());
