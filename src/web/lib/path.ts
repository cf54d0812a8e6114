/**
 * Field paths as the API reports them: `spec.env.PORT`, `spec.command[1]`, and bracketed JSON
 * strings for keys that are not plain words: `spec.labels["app.kubernetes.io/name"]`.
 */
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
  if (out.length === 0 || token.lastIndex < path.length) return [path];
  return out;
}
