import type { CST } from 'yaml';

/**
 * Finds the first place where collections nest deeper than `maxDepth`, walking the concrete
 * syntax tree without recursion. Runs before the composer, whose recursion would otherwise hit
 * the stack limit (or worse) on `[[[[...` or `- - - - ...` bombs. Returns the offending offset.
 */
export function findExcessiveNesting(tokens: readonly CST.Token[], maxDepth: number): number | undefined {
  const stack: { token: CST.Token; depth: number }[] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token) stack.push({ token, depth: 0 });
  }
  while (stack.length > 0) {
    const entry = stack.pop();
    if (!entry) break;
    const { token, depth } = entry;
    switch (token.type) {
      case 'document':
        if (token.value) stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const inner = depth + 1;
        if (inner > maxDepth) return token.offset;
        for (let k = token.items.length - 1; k >= 0; k--) {
          const item = token.items[k];
          if (!item) continue;
          if (item.value) stack.push({ token: item.value, depth: inner });
          if (item.key) stack.push({ token: item.key, depth: inner });
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** Offsets where documents with content start (for "holds N documents" messages). */
export function documentOffsets(tokens: readonly CST.Token[]): number[] {
  return tokens.filter((t) => t.type === 'document' && t.value !== undefined).map((t) => t.offset);
}
