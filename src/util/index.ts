// Small pure helpers with no project imports (text, durations, redaction); any layer may use them.

export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export { canonicalJson } from './canonical-json.js';
export { type ClosestOptions, closestMatches, editDistance } from './edit-distance.js';
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
} from './redact.js';
export { safeEqual } from './safe-equal.js';
export { hashToken, newToken } from './token-hash.js';
