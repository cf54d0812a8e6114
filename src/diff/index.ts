// Diff: pure, normalized comparison of desired vs live resources, and its readable rendering.
export { type DiffOptions, diffResources, HOOK_DIGEST_PATH } from './diff-resources.js';
export { diffFields } from './fields.js';
export { type FormatDiffOptions, formatDiff, summarize } from './format.js';
export { diffLines, type LineOp } from './lines.js';
export { type Normalized, normalize, normalizedEqual, specEqual } from './normalize.js';
export { childPath, lastNamedSegment, pathSegments } from './paths.js';
export { type RedactOptions, redactChanges, redactFieldValue } from './redact-changes.js';
export { syncStatusOf } from './sync-status.js';
