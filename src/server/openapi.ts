import type { RouteOptions } from 'fastify';
import { errorSchema, namedSchemas } from './schemas.js';

/** The documentation keys a route schema may carry besides fastify's own. */
export interface RouteDocs {
  summary?: string;
  description?: string;
  tags?: string[];
  /** `[]` for public routes; absent means the API's bearer token. */
  security?: Record<string, string[]>[];
}

interface CollectedRoute {
  method: string;
  url: string;
  schema: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/**
 * Collects every route as it is registered (fastify's `onRoute` hook), so the OpenAPI document is
 * generated from the very schemas fastify validates and serializes with.
 */
export function createRouteCollector(): {
  onRoute: (route: RouteOptions) => void;
  routes: () => readonly CollectedRoute[];
} {
  const collected: CollectedRoute[] = [];
  return {
    onRoute(route) {
      // Routes that are not API (the dashboard's pages and assets) ask to stay out of the document.
      if ((route.schema as { hide?: unknown } | undefined)?.hide === true) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        collected.push({
          method: method.toLowerCase(),
          url: route.url,
          schema: (route.schema ?? {}) as Json,
        });
      }
    },
    routes: () => collected,
  };
}

export function buildOpenApiDocument(
  routes: readonly CollectedRoute[],
  info: { title: string; version: string },
): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const components: Record<string, unknown> = {};
  toRefs(errorSchema, components);
  const ref = (schema: unknown): unknown => toRefs(schema, components);
  for (const route of [...routes].sort((a, b) => a.url.localeCompare(b.url))) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const s = route.schema;
    const operation: Json = {
      operationId: operationId(route.method, path),
      ...(typeof s.summary === 'string' ? { summary: s.summary } : {}),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      ...(Array.isArray(s.tags) ? { tags: s.tags } : {}),
    };
    if (Array.isArray(s.security)) operation.security = s.security;
    const parameters = [
      ...parametersOf(s.params, 'path', ref),
      ...parametersOf(s.querystring ?? s.query, 'query', ref),
      ...parametersOf(s.headers, 'header', ref),
    ];
    if (parameters.length > 0) operation.parameters = parameters;
    if (s.body !== undefined) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: ref(s.body) } } };
    }
    operation.responses = responsesOf(s.response, ref);
    paths[path] ??= {};
    (paths[path] as Record<string, Json>)[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: 'The Wheelhouse HTTP API: apps, syncs, history, logs, audit, live events.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The admin token (`<data>/admin-token`) or a personal token from `wheelhouse user add`.',
        },
      },
    },
  };
}

function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((p) => p && p !== 'api' && p !== 'v1')
    .map((p) =>
      p
        .replace(/[{}]/g, '')
        .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
    );
  return [method, ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}

function parametersOf(
  schema: unknown,
  where: 'path' | 'query' | 'header',
  ref: (s: unknown) => unknown,
): Json[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const prop = isObject(property) ? property : {};
    const { description, ...rest } = prop;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: ref(rest),
    };
  });
}

function responsesOf(response: unknown, ref: (s: unknown) => unknown): Json {
  const out: Json = {};
  if (isObject(response)) {
    for (const [status, value] of Object.entries(response)) {
      if (!isObject(value)) continue;
      const description = typeof value.description === 'string' ? value.description : describeStatus(status);
      if (isObject(value.content)) {
        const content: Json = {};
        for (const [type, media] of Object.entries(value.content)) {
          content[type] = isObject(media) && media.schema !== undefined ? { schema: ref(media.schema) } : {};
        }
        out[status] = { description, content };
      } else {
        const schema = 'description' in value ? withoutDescription(value) : value;
        out[status] = { description, content: { 'application/json': { schema: ref(schema) } } };
      }
    }
  }
  out.default = {
    description: 'An error: `{ error: { code, message } }`; the message says how to fix the request',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
  return out;
}

/** Replaces every named schema (by identity) with a `$ref`, registering it under components. */
function toRefs(schema: unknown, components: Record<string, unknown>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toRefs(item, components));
  if (!isObject(schema)) return schema;
  const name = namedSchemas.get(schema);
  if (name === undefined) return expand(schema, components);
  if (!(name in components)) {
    components[name] = null; // reserve first: named schemas may nest each other
    components[name] = expand(schema, components);
  }
  return { $ref: `#/components/schemas/${name}` };
}

function expand(schema: Json, components: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) out[key] = toRefs(value, components);
  return out;
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

function withoutDescription(value: Json): Json {
  const { description: _description, ...rest } = value;
  return rest;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
