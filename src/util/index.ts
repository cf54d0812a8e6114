// Small pure helpers with no project imports (text, durations, redaction); any layer may use them.
export { safeEqual } from './safe-equal.js';
export { hashToken, newToken } from './token-hash.js';
