// The Activity timeline: audit log, sync history and commits merged, filterable by app and person.
export { gatherTimeline, type TimelineQuery } from './gather.js';
export { auditKind, type TimelineItem, type TimelineKind } from './items.js';
export { type PersonFilter, personFilter } from './person-filter.js';
export { timelineRoutes } from './routes.js';
