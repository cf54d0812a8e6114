/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit, recursively), no whitespace, and only
 * what `JSON.stringify` would keep (so `undefined` members vanish and `toJSON` is honoured).
 * Equal data always gives the same text, which makes it fit for hashing.
 */
export function canonicalJson(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
  return write(plain);
}

function write(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${write(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
