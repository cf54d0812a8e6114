import { z } from 'zod';
import { HEALTH_CODES } from '../core/health.js';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const healthStatusSchema = z.enum(HEALTH_CODES);

export const healthSchema = z
  .object({ status: healthStatusSchema, message: z.string().optional() })
  .meta({ id: 'Health' });

export const syncStatusSchema = z.enum(['Synced', 'OutOfSync', 'Unknown']);

export const syncResultSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

/** Route params shared by every `/apps/{app}` route. */
export const appParams = z.object({
  app: z.string().min(1).max(253).describe('app name from wheelhouse.yaml'),
});

/** `?limit=N` for an app's lists (history, commits): newest first, 50 by default. */
export const limitQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
