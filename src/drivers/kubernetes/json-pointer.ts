import { WheelhouseError } from '../../core/index.js';

/**
 * JSON Pointers (RFC 6901) as `ignoreDifferences` uses them: `/spec/replicas`,
 * `/metadata/annotations/example.com~1owner` (`~1` is `/`, `~0` is `~`).
 */

/** The reference tokens of a pointer; throws a CONFIG_INVALID error that says how to write one. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') {
    throw invalid(pointer, 'it points at the whole object; point at a field such as /spec/replicas');
  }
  if (!pointer.startsWith('/')) {
    throw invalid(pointer, `it must start with "/", e.g. /${pointer}`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) {
        throw invalid(pointer, 'a "~" must be written "~0", and a "/" inside a key "~1"');
      }
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/**
 * Removes what `tokens` point at inside `root`, in place. A pointer that leads nowhere (a missing
 * key, an index past the end, `-`, a step into a scalar) changes nothing.
 */
export function removeAtPointer(root: unknown, tokens: readonly string[]): void {
  let parent: unknown = root;
  for (const [position, token] of tokens.entries()) {
    const last = position === tokens.length - 1;
    if (Array.isArray(parent)) {
      const index = arrayIndex(token, parent.length);
      if (index === undefined) return;
      if (last) parent.splice(index, 1);
      else parent = parent[index];
    } else if (parent !== null && typeof parent === 'object') {
      const record = parent as Record<string, unknown>;
      if (!Object.hasOwn(record, token)) return;
      if (last) delete record[token];
      else parent = record[token];
    } else {
      return;
    }
  }
}

function arrayIndex(token: string, length: number): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return index < length ? index : undefined;
}

function invalid(pointer: string, why: string): WheelhouseError {
  return new WheelhouseError(
    'CONFIG_INVALID',
    `ignoreDifferences pointer ${JSON.stringify(pointer)} is not a valid JSON Pointer: ${why}`,
    { details: { pointer } },
  );
}
