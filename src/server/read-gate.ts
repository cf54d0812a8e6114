import type { FastifyRequest } from 'fastify';
import type { Engine } from '../core/index.js';
import { assertReadable, type ReadPolicySource } from './read-access.js';

const READS = new Set(['GET', 'HEAD']);

/**
 * `preHandler` hook for `/api`: every read that names an app (`/apps/{app}/...` in the path,
 * `?app=` in the query: history, diff, commits, logs, audit, timeline, events, approvals) needs
 * `read` on that app. Lists without an app filter what they return themselves (see `readerOf`).
 * Mutations are left to their own guard, which audits its refusals.
 */
export function readGate(source: ReadPolicySource & { engine: Pick<Engine, 'status' | 'apps'> }) {
  const check = assertReadable(source);
  return async (request: FastifyRequest): Promise<void> => {
    if (!READS.has(request.method)) return;
    for (const app of [fieldOf(request.params, 'app'), fieldOf(request.query, 'app')]) {
      if (app !== undefined) check(request, app);
    }
  };
}

function fieldOf(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : undefined;
}
