/** Reads a string at a dotted path of a JSON payload. */
export function stringAt(payload: unknown, path: string): string | undefined {
  let node: unknown = payload;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/** The distinct non-empty strings at these paths. */
export function stringsAt(payload: unknown, paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    const value = stringAt(payload, path);
    if (value !== undefined) out.add(value);
  }
  return [...out];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
