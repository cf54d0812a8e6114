import type { FieldChange } from '../core/index.js';
import { isMap, type Normalized, normalize, normalizedEqual } from './normalize.js';
import { childPath } from './paths.js';

/**
 * Field-level differences between a live and a desired value, by dotted path under `root`.
 * Maps are compared key by key (also when one side is absent, so an added map lists its
 * fields), lists index by index; anything else, or a change of type, is one change at its path.
 * The result is ordered by path (keys sorted, indexes ascending).
 */
export function diffFields(live: unknown, desired: unknown, root: string): FieldChange[] {
  const out: FieldChange[] = [];
  walk(normalize(live), normalize(desired), root, out);
  return out;
}

function walk(
  live: Normalized | undefined,
  desired: Normalized | undefined,
  path: string,
  out: FieldChange[],
): void {
  if (normalizedEqual(live, desired)) return;
  const liveMap = isMap(live) ? live : live === undefined ? {} : undefined;
  const desiredMap = isMap(desired) ? desired : desired === undefined ? {} : undefined;
  if (liveMap && desiredMap && (isMap(live) || isMap(desired))) {
    const keys = [...new Set([...Object.keys(liveMap), ...Object.keys(desiredMap)])].sort();
    for (const key of keys) walk(liveMap[key], desiredMap[key], childPath(path, key), out);
    return;
  }
  if (Array.isArray(live) && Array.isArray(desired)) {
    const length = Math.max(live.length, desired.length);
    for (let index = 0; index < length; index++)
      walk(live[index], desired[index], childPath(path, index), out);
    return;
  }
  const change: FieldChange = { path };
  if (live !== undefined) change.live = live;
  if (desired !== undefined) change.desired = desired;
  out.push(change);
}
