import { z } from 'zod';

export const replicaSchema = z
  .object({
    id: z.string(),
    address: z.string(),
    version: z.string(),
    startedAt: z.string(),
    heartbeatAt: z.string(),
    live: z.boolean(),
    apps: z.number().int(),
  })
  .meta({ id: 'Replica' });

export const leaseSchema = z
  .object({ app: z.string(), owner: z.string(), token: z.number().int(), expiresAt: z.string() })
  .meta({ id: 'Lease' });

/** `GET /api/v1/replicas`: the replicas sharing this store, and which reconciles which app. */
export const replicasResponseSchema = z
  .object({
    /** The replica that answered. */
    self: z.string(),
    leaseMs: z.number().int(),
    replicas: z.array(replicaSchema),
    leases: z.array(leaseSchema),
  })
  .meta({ id: 'Replicas' });

export type ReplicasResponse = z.infer<typeof replicasResponseSchema>;
