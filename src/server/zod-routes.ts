import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';

/**
 * Makes a route plugin's scope validate and serialize with zod schemas (`./wire`), and types its
 * handlers' params, query, body and replies from them. Scoped to the plugin: other plugins keep
 * fastify's JSON-schema compilers.
 */
export function zodRoutes(app: FastifyInstance) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  return app.withTypeProvider<ZodTypeProvider>();
}
