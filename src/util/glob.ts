/**
 * Shell-style name globs as people write them in access bindings and notification routes:
 * `*` matches any run of characters (also none), `?` exactly one; everything else is literal.
 * Matching is case-sensitive and anchored at both ends.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

const cache = new Map<string, RegExp>();

export function globMatch(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === text;
  let regex = cache.get(pattern);
  if (!regex) {
    regex = globToRegExp(pattern);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, regex);
  }
  return regex.test(text);
}

/** True when any pattern matches; an empty list matches nothing. */
export function matchesAny(patterns: readonly string[], text: string): boolean {
  return patterns.some((pattern) => globMatch(pattern, text));
}
