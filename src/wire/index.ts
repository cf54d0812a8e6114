/**
 * The API's wire format as zod schemas: the one source the routes validate and serialize with, the
 * OpenAPI document is generated from (`@fastify/swagger`), and the dashboard's types are inferred
 * from. Imports nothing but zod and core/health (constants), so the web build can import its
 * types without server code.
 * Schemas with `.meta({ id })` are listed under `components.schemas` of the OpenAPI document.
 */
export * from './actions.js';
export * from './apps.js';
export * from './audit.js';
export * from './chat.js';
export * from './common.js';
export * from './images.js';
export * from './logs.js';
export * from './metrics.js';
export * from './previews.js';
export * from './problems.js';
export * from './replicas.js';
export * from './session.js';
export * from './timeline.js';
