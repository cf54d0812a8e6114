// Health: the ordering of health codes, an app's aggregate health, and per-resource overrides.
export { aggregateHealth, type ResourceHealth } from './aggregate.js';
export { compareHealth, healthRank, isHealthCode, worse, worst } from './order.js';
export { HEALTH_ANNOTATION, type HealthOverride, healthOverride, isHealthIgnored } from './overrides.js';
export { resourceHealths } from './resource-healths.js';
