/**
 * Dotted field paths as shown in diffs: `spec.env.PORT`, `spec.command[1]`, and bracketed JSON
 * strings for keys that are not plain words: `spec.labels["app.kubernetes.io/name"]`.
 */

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (PLAIN_KEY.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The segments of a path built by `childPath` (array indexes as numbers). */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let match = token.exec(path);
  while (match !== null) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
    else if (match[3] !== undefined) out.push(JSON.parse(match[3]) as string);
    if (token.lastIndex >= path.length) break;
    match = token.exec(path);
  }
  return out;
}

/** The last key of a path that is a name, not an array index (`spec.env.TOKEN[0]` → `TOKEN`). */
export function lastNamedSegment(path: string): string | undefined {
  const segments = pathSegments(path);
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i];
    if (typeof segment === 'string') return segment;
  }
  return undefined;
}
