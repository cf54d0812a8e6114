import { type Alias, isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { isMergeKey } from './document-value.js';

export type YamlPath = readonly (string | number)[];

const rangeStart = (node: unknown): number | undefined =>
  (node as { range?: [number, number, number] } | null)?.range?.[0];

const keyText = (key: unknown): string | undefined =>
  isScalar(key) ? (key.value === null || key.value === undefined ? '' : String(key.value)) : undefined;

/**
 * The source offset for a field path: the value's start (or, with `at: 'key'`, its key's start).
 * When the path does not exist in full (a missing field), the deepest part that does exist.
 */
export function locateOffset(
  contents: Node | null,
  aliasTargets: ReadonlyMap<Alias, Node>,
  path: YamlPath,
  at: 'key' | 'value',
  documentStart: number,
): number {
  const resolve = (node: unknown): unknown => (isAlias(node) ? (aliasTargets.get(node) ?? node) : node);
  let current: unknown = contents;
  let valuePos = emptyValue(contents) ? undefined : rangeStart(contents);
  let keyPos: number | undefined;
  let lastWasKey = false;
  for (const segment of path) {
    const node = resolve(current);
    let next: { key?: unknown; value: unknown } | undefined;
    if (isMap(node) && typeof segment === 'string')
      next = findPair(node.items as unknown[], segment, resolve);
    else if (isSeq(node) && typeof segment === 'number') {
      const item = (node.items as unknown[])[segment];
      if (item !== undefined) next = { value: item };
    }
    // A missing field: point at the deepest part that exists.
    if (!next) return valuePos ?? keyPos ?? documentStart;
    lastWasKey = next.key !== undefined;
    if (lastWasKey) keyPos = rangeStart(next.key);
    current = next.value;
    valuePos = emptyValue(current) ? undefined : rangeStart(current);
  }
  if (at === 'key' && lastWasKey) return keyPos ?? valuePos ?? documentStart;
  return valuePos ?? keyPos ?? documentStart;
}

function emptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  const range = (node as { range?: [number, number, number] }).range;
  return node.value === null && (!range || range[0] === range[1]);
}

function findPair(
  items: readonly unknown[],
  segment: string,
  resolve: (node: unknown) => unknown,
): { key: unknown; value: unknown } | undefined {
  const merges: unknown[] = [];
  for (const item of items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) merges.push(item.value);
    else if (keyText(item.key) === segment) return { key: item.key, value: item.value };
  }
  for (const merge of merges) {
    const resolved = resolve(merge);
    const sources = isSeq(resolved) ? (resolved.items as unknown[]) : [merge];
    for (const source of sources) {
      const map = resolve(source);
      if (isMap(map)) {
        const found = findPair(map.items as unknown[], segment, resolve);
        if (found) return found;
      }
    }
  }
  return undefined;
}
