/** Repo-relative paths with `/` separators (compose files refer to files beside them). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Join and normalize; undefined when the result climbs above the repo root. */
export function joinPath(dir: string, relative: string): string | undefined {
  const parts: string[] = [];
  for (const segment of `${dir}/${relative}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join('/');
}
