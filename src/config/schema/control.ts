import { z } from 'zod';
import { accessSchema, approvalSchema, personSchema } from './access.js';
import { appSchema, targetSchema } from './apps.js';
import { authSchema } from './auth.js';
import { ciSchema } from './ci.js';
import { optional, strictObject } from './fields.js';
import { chatSchema, notificationsSchema, secretPatternsSchema, webhooksSchema } from './integrations.js';
import { previewsSchema } from './previews.js';
import { windowSchema } from './windows.js';

/** The whole of wheelhouse.yaml, as written (optional fields stay optional; see build-config.ts). */
export const controlSchema = strictObject({
  targets: optional(z.record(z.string(), targetSchema)),
  apps: optional(z.array(appSchema)),
  people: optional(z.array(personSchema)),
  access: optional(accessSchema),
  approvals: optional(z.array(approvalSchema)),
  notifications: optional(notificationsSchema),
  webhooks: optional(webhooksSchema),
  chat: optional(chatSchema),
  secretPatterns: optional(secretPatternsSchema),
  ci: optional(ciSchema),
  windows: optional(z.array(windowSchema)),
  auth: optional(authSchema),
  previews: optional(previewsSchema),
});

export type ControlInput = z.output<typeof controlSchema>;
