/** Field paths for messages: `['apps', 1, 'sync', 'prune']` -> `apps[1].sync.prune`. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatFieldPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${String(segment)}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
