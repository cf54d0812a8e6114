// Small pure helpers with no project imports (text, durations, redaction); any layer may use them.

export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { parseByteSize } from './byte-size.js';
export { canonicalJson } from './canonical-json.js';
export { DNS_LABEL_HINT, isDnsLabel } from './dns-label.js';
export { DURATION_HINT, formatDuration, parseDuration } from './duration.js';
export { type ClosestOptions, closestMatches, didYouMean, editDistance } from './edit-distance.js';
export { type EscapeControlOptions, escapeControl, visibleControl } from './escape-control.js';
export { formatFieldPath } from './field-path.js';
export { formatBytes } from './format-bytes.js';
export { createInFlight, type InFlight } from './in-flight.js';
export * from './kustomization-files.js';
export { nextLink } from './link-next.js';
export { LruCache } from './lru.js';
export { type NodeFacts, nodeFactsLine, nodeMessage } from './node-facts.js';
export {
  currentProcess,
  type ProcessIdentity,
  processGone,
  processStartTime,
  procStatFields,
} from './process-identity.js';
export { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export {
  createRedactor,
  isReferenceKey,
  isSensitiveKey,
  isSensitivePath,
  MIN_SECRET_LENGTH,
  noRedaction,
  REDACTED,
  type RedactDeepOptions,
  type Redactor,
  type RedactorOptions,
  redactDeep,
  SENSITIVE_KEY,
  secretValuesRegExp,
} from './redact.js';
export { safeEqual } from './safe-equal.js';
export { createSeenIds, deliveryCheck, type MarkDelivered, type SeenIds } from './seen-ids.js';
export { describeSettingsIssues, type SettingsIssue } from './settings-issues.js';
export { SHORT_SHA_LENGTH, shortSha } from './short-sha.js';
export { summaryLine } from './summary-line.js';
export { createTokenBucket, type TokenBucket } from './token-bucket.js';
export { hashToken, newToken } from './token-hash.js';
export { bytePosition, firstInvalidUtf8 } from './utf8.js';
export { type Challenge, parseChallenge } from './www-authenticate.js';
export { type ZodSpecIssue, zodSpecIssues } from './zod-spec-issues.js';
