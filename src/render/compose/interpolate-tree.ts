import type { YamlPath } from '../yaml/index.js';
import { interpolate } from './interpolate.js';
import type { Reader } from './reader.js';

/**
 * Interpolate every string value of the file (keys stay as written), except where `skip` says the
 * caller interpolates itself (environment values, which may name secrets). Problems are reported
 * at the value; the value is then left as written.
 */
export function interpolateTree(
  value: unknown,
  vars: ReadonlyMap<string, string>,
  reader: Reader,
  skip: (path: YamlPath) => boolean,
  path: (string | number)[] = [],
): unknown {
  if (skip(path)) return value;
  if (typeof value === 'string') {
    if (!value.includes('$')) return value;
    const result = interpolate(value, vars);
    if ('error' in result) {
      reader.issue(path, result.error);
      return value;
    }
    return result.value;
  }
  if (Array.isArray(value))
    return value.map((item, i) => interpolateTree(item, vars, reader, skip, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = interpolateTree(item, vars, reader, skip, [...path, key]);
    return out;
  }
  return value;
}
