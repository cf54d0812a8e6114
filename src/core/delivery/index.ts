// Delivery (DORA) figures: pure computation over sync history, commits, rollbacks and health.
export { type AppFacts, type AppHistory, appFacts, type FailureReason } from './app-facts.js';
export { DELIVERY_DEFINITIONS, type DeliveryFigureName } from './definitions.js';
export { computeDelivery, DEFAULT_FAILURE_WINDOW_MS } from './report.js';
export { bucketStart, distribution } from './stats.js';
export { figureLines, roughDuration } from './summary.js';
export type * from './types.js';
