import type { FastifyInstance } from 'fastify';
import type { Cluster } from '../../core/index.js';
import { replicasResponseSchema } from '../../wire/index.js';
import { zodRoutes } from '../zod-routes.js';

/**
 * `GET /api/v1/replicas`: every replica sharing the PostgreSQL store (live or not yet expired),
 * and the lease of each app. Registered only when this replica is one of several (a cluster).
 */
export function replicaRoutes(cluster: Cluster) {
  return async (scope: FastifyInstance): Promise<void> => {
    zodRoutes(scope).get(
      '/api/v1/replicas',
      {
        schema: {
          summary:
            'The replicas sharing this store (id, address, version, heartbeat, apps held) and which replica reconciles which app (leases with fencing tokens)',
          tags: ['meta'],
          response: { 200: replicasResponseSchema },
        },
      },
      async () => {
        const [replicas, leases] = await Promise.all([cluster.replicas(), cluster.leases()]);
        return { self: cluster.replicaId, leaseMs: cluster.leaseMs, replicas, leases };
      },
    );
  };
}
