// Delivery (DORA) figures: reading a period's history for every surface (API, chat).
export {
  type DeliveryCommits,
  type DeliveryScope,
  type DeliverySources,
  type GatheredHistory,
  gatherDelivery,
} from './gather.js';
export { DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, type Period, periodOf } from './period.js';
export { sourceCommits } from './source-commits.js';
