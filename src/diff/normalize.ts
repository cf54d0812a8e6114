/**
 * Normalization before comparing specs, so that only differences a person would call a change
 * remain: key order is irrelevant; `undefined`, `null` and an empty map inside a map all mean
 * "absent"; `-0` is `0`; dates become ISO strings. Types are kept: the number 8080 and the string
 * "8080" stay different, and so do `[]` and an absent list.
 */

export type Normalized =
  | null
  | boolean
  | number
  | string
  | bigint
  | Normalized[]
  | { [key: string]: Normalized };

/** The normalized form of a value, or `undefined` when the value counts as absent. */
export function normalize(value: unknown): Normalized | undefined {
  if (value === undefined || value === null) return undefined;
  return normalizePresent(value);
}

function normalizePresent(value: unknown): Normalized | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      return Object.is(value, -0) ? 0 : value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => normalizePresent(item) ?? null);
  if (value instanceof Date) return value.toISOString();
  const out: { [key: string]: Normalized } = {};
  for (const key of Object.keys(value as object).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child === null || child === undefined) continue;
    const normalized = normalizePresent(child);
    if (normalized === undefined || isEmptyMap(normalized)) continue;
    out[key] = normalized;
  }
  return out;
}

export function isMap(value: unknown): value is { [key: string]: Normalized } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEmptyMap(value: Normalized): boolean {
  return isMap(value) && Object.keys(value).length === 0;
}

/** Deep equality of two normalized values (types must match: 1 is not "1"). */
export function normalizedEqual(a: Normalized | undefined, b: Normalized | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => normalizedEqual(item, b[index]));
  }
  if (isMap(a) && isMap(b)) {
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    return keysA.every((key) => Object.hasOwn(b, key) && normalizedEqual(a[key], b[key]));
  }
  return false;
}

/** Whether two raw values are equal after normalization. */
export function specEqual(a: unknown, b: unknown): boolean {
  return normalizedEqual(normalize(a), normalize(b));
}
