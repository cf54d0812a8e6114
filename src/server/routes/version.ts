import type { FastifyInstance } from 'fastify';
import { versionSchema } from '../../wire/index.js';
import { zodRoutes } from '../zod-routes.js';

/** The versions of the render tools apps render with (`kustomize: v5.8.1`), or why each is not usable. */
export type ToolVersions = () => Promise<Readonly<Record<string, string>>>;

/**
 * `GET /api/v1/version`: what this server runs — Wheelhouse, Node.js and the render tools — so
 * `wheelhouse version` and the dashboard show the server's tools, not the client's.
 */
export function versionRoutes(version: string, tools: ToolVersions | undefined) {
  return async (scope: FastifyInstance): Promise<void> => {
    zodRoutes(scope).get(
      '/api/v1/version',
      {
        schema: {
          summary:
            'The versions this server runs: Wheelhouse, Node.js, and the kustomize and helm binaries renders use (or why one is not usable)',
          tags: ['meta'],
          response: { 200: versionSchema },
        },
      },
      async () => ({ version, node: process.versions.node, tools: tools ? await tools() : {} }),
    );
  };
}
