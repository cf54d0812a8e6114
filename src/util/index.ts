// Small pure helpers with no project imports (text, durations, redaction); any layer may use them.
export { parseByteSize } from './byte-size.js';
export { canonicalJson } from './canonical-json.js';
export { DNS_LABEL_HINT, isDnsLabel } from './dns-label.js';
export { DURATION_HINT, formatDuration, parseDuration } from './duration.js';
export { closestMatches, didYouMean, editDistance } from './edit-distance.js';
export { formatFieldPath } from './field-path.js';
export { formatBytes } from './format-bytes.js';
export { bytePosition, firstInvalidUtf8 } from './utf8.js';
