// Small pure helpers with no project imports (text, durations, redaction); any layer may use them.
export { type ClosestOptions, closestMatches, editDistance } from './edit-distance.js';
