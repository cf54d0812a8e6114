import { z } from 'zod';

const ms = z.number().nonnegative();
const count = z.number().int().nonnegative();

const distribution = z.object({ count, medianMs: ms.optional(), p90Ms: ms.optional() });

export const deliveryFiguresSchema = z
  .object({
    apps: count,
    deployments: count,
    deploymentsPerDay: z.number().nonnegative(),
    leadTime: distribution,
    changeFailure: z.object({ changes: count, failed: count, rate: z.number().min(0).max(1).optional() }),
    restore: distribution.extend({ open: count }),
  })
  .meta({ id: 'DeliveryFigures' });

export const deliveryGroupSchema = z
  .object({
    key: z.string(),
    figures: deliveryFiguresSchema,
    buckets: z.array(
      z.object({
        start: z.string(),
        deployments: count,
        changes: count,
        failed: count,
        leadTimeMedianMs: ms.optional(),
        restoreMedianMs: ms.optional(),
      }),
    ),
  })
  .meta({ id: 'DeliveryGroup' });

export const metricsQuerySchema = z.strictObject({
  app: z.string().min(1).max(253).optional(),
  environment: z.string().min(1).max(253).optional(),
  team: z.string().min(1).max(253).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  bucket: z.enum(['day', 'week']).optional(),
});

/** `GET /api/v1/metrics`: the four delivery (DORA) figures, with what each means. */
export const metricsResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    bucket: z.enum(['day', 'week']),
    failureWindowMs: ms,
    total: deliveryGroupSchema,
    byApp: z.array(deliveryGroupSchema),
    byEnvironment: z.array(deliveryGroupSchema),
    byTeam: z.array(deliveryGroupSchema),
    definitions: z.object({
      deploymentFrequency: z.string(),
      leadTime: z.string(),
      changeFailureRate: z.string(),
      timeToRestore: z.string(),
    }),
  })
  .meta({ id: 'DeliveryMetrics' });

export type MetricsResponse = z.infer<typeof metricsResponseSchema>;

/** `GET /api/v1/metrics/timeline`: one app's syncs, health and commands over the period. */
export const deliveryTimelineSchema = z
  .object({
    app: z.string(),
    from: z.string(),
    to: z.string(),
    syncs: z.array(
      z.object({
        id: z.string(),
        startedAt: z.string(),
        finishedAt: z.string().optional(),
        result: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
        revision: z.string(),
        actor: z.string(),
        trigger: z.string(),
        commit: z.object({ sha: z.string(), subject: z.string(), author: z.string() }).optional(),
      }),
    ),
    /** Each change of health; the first says the health at `from`. */
    health: z.array(z.object({ at: z.string(), status: z.string() })),
    rollbacks: z.array(z.object({ at: z.string(), actor: z.string() })),
    /** Commands people ran on the app (chat, dashboard, CLI). */
    actions: z.array(
      z.object({ at: z.string(), actor: z.string(), command: z.string(), text: z.string().optional() }),
    ),
  })
  .meta({ id: 'DeliveryTimeline' });

export type DeliveryTimeline = z.infer<typeof deliveryTimelineSchema>;
