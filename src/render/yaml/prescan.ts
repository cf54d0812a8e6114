import type { YamlLimits } from './limits.js';

/** Zero-width markers the lexer emits; every other token is the exact source text. */
const SCALAR = '\u001f';
const MARKERS = new Set(['\u0002', SCALAR, '\u0018']);

export interface PrescanProblem {
  offset: number;
  message: string;
}

/**
 * A fast first pass over the lexer's tokens (quotes and comments already told apart) that stops at
 * the first sign of a bomb, before the parser builds a tree for it (the parser is then fed the
 * same tokens, so the text is lexed once): `[`/`{` nested deeper than
 * `maxDepth`, a line with more than `maxDepth` compact `- - -` / `? ?` indicators, more aliases
 * than `maxAliasCount` or more scalars than `maxNodes` in one document.
 */
export function prescan(lexemes: readonly string[], limits: YamlLimits): PrescanProblem | undefined {
  let offset = 0;
  let flow = 0;
  let onLine = 0;
  let scalars = 0;
  let aliases = 0;
  const deep = (at: number) => ({
    offset: at,
    message: `nesting is deeper than ${limits.maxDepth} levels — flatten the structure`,
  });
  for (const token of lexemes) {
    if (token === '[' || token === '{') {
      flow += 1;
      if (flow > limits.maxDepth) return deep(offset);
    } else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if ((token === '-' || token === '?') && flow === 0) {
      onLine += 1;
      if (onLine > limits.maxDepth) return deep(offset);
    } else if (token.startsWith('\n') || token.startsWith('\r')) onLine = 0;
    else if (token === '---') {
      scalars = 0;
      aliases = 0;
    } else if (token === SCALAR) {
      scalars += 1;
      if (scalars > limits.maxNodes) {
        return {
          offset,
          message: `more than ${limits.maxNodes.toLocaleString('en-US')} values in one document — split it into several files`,
        };
      }
    } else if (token.startsWith('*') && !token.includes('\n')) {
      aliases += 1;
      if (aliases > limits.maxAliasCount) {
        return {
          offset,
          message: `more than ${limits.maxAliasCount} aliases in one document; expand some of them by hand`,
        };
      }
    }
    if (!MARKERS.has(token)) offset += token.length;
  }
  return undefined;
}
