// Small pure helpers with no project imports (text, durations, redaction); any layer may use them.
export { parseByteSize } from './byte-size.js';
export { canonicalJson } from './canonical-json.js';
