// Small pure helpers with no project imports (text, durations, redaction); any layer may use them.
export { canonicalJson } from './canonical-json.js';
