import fastifySwagger, { type SwaggerTransform, type SwaggerTransformObject } from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType } from 'zod/v4/core';
import { zodRoutes } from './zod-routes.js';

const zodTransform = createJsonSchemaTransform({ skipList: [] });
const zodComponents = createJsonSchemaTransformObject({});

const errorResponse = {
  description: 'An error: `{ error: { code, message } }`; the message says how to fix the request',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/**
 * Registers `@fastify/swagger` so the OpenAPI document is generated from the very (zod) schemas
 * the routes validate and serialize with. Call before registering routes; the document is
 * `app.swagger()`. Routes still on plain JSON schemas (other parts' plugins) are documented as
 * they are; routes with `hide: true` (the dashboard's pages and assets) stay out.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Wheelhouse API',
        version,
        description: 'The Wheelhouse HTTP API: apps, syncs, history, logs, audit, live events.',
      },
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      security: [{ bearer: [] }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'The admin token (`<data>/admin-token`) or a personal token from `wheelhouse user add`.',
          },
        },
      },
    },
    transform: documentRoute,
    transformObject: withComponents,
  });
}

const documentRoute: SwaggerTransform = (input) => {
  const { schema, url } = usesZod(input.schema) ? zodTransform(input) : input;
  if (!schema || (schema as { hide?: unknown }).hide === true) return { schema, url };
  const method = Array.isArray(input.route.method) ? input.route.method[0] : input.route.method;
  const response: Record<string, unknown> = {};
  for (const [status, value] of Object.entries((schema.response ?? {}) as Record<string, object>)) {
    response[status] = 'description' in value ? value : { ...value, description: describeStatus(status) };
  }
  return {
    url,
    schema: {
      operationId: operationId(String(method).toLowerCase(), url),
      ...schema,
      response: { ...response, default: errorResponse },
    } as FastifySchema,
  };
};

const withComponents: SwaggerTransformObject = (document) => {
  const out = zodComponents(document) as { components?: { schemas?: Record<string, unknown> } };
  // Request schemas get an `...Input` twin; the API's named types are its answers, so only
  // twins some route refers to stay.
  const schemas = out.components?.schemas ?? {};
  const text = JSON.stringify({ ...out, components: { ...out.components, schemas: {} } });
  for (const name of Object.keys(schemas)) {
    if (name.endsWith('Input') && !text.includes(`#/components/schemas/${name}"`)) delete schemas[name];
  }
  return out as ReturnType<SwaggerTransformObject>;
};

function usesZod(schema: FastifySchema | undefined): boolean {
  if (!schema) return false;
  const parts: unknown[] = [schema.body, schema.querystring, schema.params, schema.headers];
  if (schema.response && typeof schema.response === 'object') {
    for (const value of Object.values(schema.response)) {
      parts.push(value);
      const content = (value as { content?: Record<string, { schema?: unknown }> }).content;
      if (content) for (const media of Object.values(content)) parts.push(media.schema);
    }
  }
  return parts.some((part) => part instanceof $ZodType);
}

function describeStatus(status: string): string {
  const text: Record<string, string> = {
    '200': 'OK',
    '201': 'Created',
    '202': 'Accepted: the work continues in the background',
    '204': 'No content',
  };
  return text[status] ?? `Status ${status}`;
}

function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((p) => p && p !== 'api' && p !== 'v1')
    .map((p) =>
      p
        .replace(/[{}:]/g, '')
        .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
    );
  return [method, ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}

/** `GET /api/v1/openapi.json`: the document, built once from every registered route. */
export function openApiRoute() {
  return async (api: FastifyInstance): Promise<void> => {
    zodRoutes(api).get(
      '/api/v1/openapi.json',
      {
        schema: {
          summary: 'This document: OpenAPI 3.1, generated from the route schemas',
          tags: ['meta'],
          response: { 200: z.record(z.string(), z.unknown()) },
        },
      },
      async () => api.swagger() as unknown as Record<string, unknown>,
    );
  };
}
