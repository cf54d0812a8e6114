import type { FastifyInstance } from 'fastify';
import { type ImagesResponse, imagesResponseSchema } from '../../wire/index.js';
import { type ReadPolicySource, readerOf } from '../read-access.js';
import { zodRoutes } from '../zod-routes.js';

/**
 * `GET /api/v1/images`: the image policies of the apps the caller may read, the last check of each
 * and its candidate.
 */
export function imageRoutes(list: () => ImagesResponse['images'], policy: ReadPolicySource) {
  return async (scope: FastifyInstance): Promise<void> => {
    zodRoutes(scope).get(
      '/api/v1/images',
      {
        schema: {
          summary:
            'Image update policies per app (images: in wheelhouse.yaml) of the apps the caller may read: rule, current image, newest acceptable candidate, and what the last check did',
          tags: ['apps'],
          response: { 200: imagesResponseSchema },
        },
      },
      async (request) => {
        const reader = readerOf(policy, request);
        return { images: list().filter((entry) => reader.may(entry.app)) };
      },
    );
  };
}
