import type { FastifyInstance } from 'fastify';
import type { Cluster } from '../../core/index.js';
import { replicasResponseSchema } from '../../wire/index.js';
import { zodRoutes } from '../zod-routes.js';

/**
 * `GET /api/v1/replicas`: every replica sharing the PostgreSQL store (live or not yet expired),
 * and the lease of each app. A Wheelhouse that runs alone (no cluster: a SQLite store) answers
 * with empty lists.
 */
export function replicaRoutes(cluster: Cluster | undefined) {
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
        if (!cluster) return { self: '', leaseMs: 0, replicas: [], leases: [] };
        const [replicas, leases] = await Promise.all([cluster.replicas(), cluster.leases()]);
        return { self: cluster.replicaId, leaseMs: cluster.leaseMs, replicas, leases };
      },
    );
  };
}
