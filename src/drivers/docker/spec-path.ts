/** `['ports', 0, 'hostPort']` -> `ports[0].hostPort`. */
export function formatSpecPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}
