import { type Alias, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, Scalar } from 'yaml';
import { formatBytes } from '../../util/format-bytes.js';
import type { YamlLimits } from './limits.js';

/** A problem found while turning a document's nodes into plain values, at a source offset. */
export interface ValueProblem {
  offset: number;
  message: string;
  /** A limit was hit: the document is refused as a whole (no value). */
  fatal: boolean;
}

export interface DocumentValue {
  value: unknown;
  /** Each alias node and the anchored node it stands for. */
  aliasTargets: Map<Alias, Node>;
  problems: ValueProblem[];
}

interface Measure {
  size: number;
  height: number;
  /** Bytes of text once expanded (capped just over the limit). */
  bytes: number;
}

/** Bytes a scalar's value stands for once written out (its text for strings, a few for the rest). */
function scalarBytes(node: unknown): number {
  if (!isScalar(node)) return 1;
  const value = node.value;
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : String(value).length;
}

const offsetOf = (node: unknown): number => {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
};

/** True for a `<<` key written plainly (a YAML merge key). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && key.type === Scalar.PLAIN;
}

/**
 * Turns a composed document into plain JSON-like values, with our own alias resolution: aliases
 * are resolved in one pass in document order (an alias refers to the last anchor completed before
 * it), counted, and the expanded size and depth are measured before anything is expanded, so an
 * alias bomb costs a few microseconds instead of all memory. Keys are strings; `__proto__` and
 * complex keys are refused; `<<` merge keys are honoured.
 */
export function documentValue(contents: Node | null, limits: YamlLimits): DocumentValue {
  const aliasTargets = new Map<Alias, Node>();
  const problems: ValueProblem[] = [];
  const anchors = new Map<string, Node>();
  const measures = new Map<Node, Measure>();
  const cap = limits.maxNodes + 1;
  const byteCap = limits.maxExpandedBytes + 1;
  let aliasCount = 0;
  let tooBig = false;
  let tooLarge = false;
  let tooDeep = false;

  const measure = (node: unknown): Measure => {
    if (isAlias(node)) {
      aliasCount += 1;
      if (aliasCount === limits.maxAliasCount + 1) {
        problems.push({
          fatal: true,
          offset: offsetOf(node),
          message: `more than ${limits.maxAliasCount} aliases in one document; expand some of them by hand`,
        });
      }
      const target = anchors.get(node.source);
      if (!target) {
        problems.push({
          fatal: true,
          offset: offsetOf(node),
          message: `alias *${node.source} has no anchor &${node.source} before it — define the anchor first`,
        });
        return { size: 1, height: 1, bytes: 1 };
      }
      aliasTargets.set(node, target);
      return measures.get(target) ?? { size: 1, height: 1, bytes: 1 };
    }
    let result: Measure;
    if (isMap(node) || isSeq(node)) {
      let size = 1;
      let height = 0;
      let bytes = 2;
      for (const item of node.items as unknown[]) {
        const parts = isPair(item) ? [item.key, item.value] : [item];
        for (const part of parts) {
          const m = measure(part);
          size = Math.min(cap, size + m.size);
          height = Math.max(height, m.height);
          bytes = Math.min(byteCap, bytes + m.bytes);
        }
      }
      result = { size, height: height + 1, bytes };
    } else {
      result = { size: 1, height: 1, bytes: scalarBytes(node) };
    }
    if (!tooBig && result.size > limits.maxNodes) {
      tooBig = true;
      problems.push({
        fatal: true,
        offset: offsetOf(node),
        message:
          aliasCount > 0
            ? `aliases here expand to more than ${limits.maxNodes.toLocaleString('en-US')} values (an alias bomb?) — remove the repeated aliases`
            : `more than ${limits.maxNodes.toLocaleString('en-US')} values in one document — split it into several files`,
      });
    }
    if (!tooLarge && !tooBig && result.bytes > limits.maxExpandedBytes) {
      tooLarge = true;
      problems.push({
        fatal: true,
        offset: offsetOf(node),
        message: `aliases here expand to more than ${formatBytes(limits.maxExpandedBytes)} of text (${aliasCount} alias${aliasCount === 1 ? '' : 'es'} so far) — anchor and repeat only small values, or write the large one out once`,
      });
    }
    if (!tooDeep && result.height > limits.maxDepth) {
      tooDeep = true;
      problems.push({
        fatal: true,
        offset: offsetOf(node),
        message: `nesting deeper than ${limits.maxDepth} levels once aliases are expanded — flatten the structure`,
      });
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (node && anchor) {
      anchors.set(anchor, node as Node);
      measures.set(node as Node, result);
    }
    return result;
  };

  measure(contents);
  if (problems.length > 0) return { value: undefined, aliasTargets, problems };
  // From here on problems concern single keys: the rest of the document is still usable.

  const toValue = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = aliasTargets.get(node);
      return target ? toValue(target) : null;
    }
    if (isScalar(node)) return node.value;
    if (isSeq(node))
      return (node.items as unknown[]).map((item) => (isPair(item) ? pairsToObject([item]) : toValue(item)));
    if (isMap(node)) return pairsToObject(node.items as Pair[]);
    return null;
  };

  const keyOf = (key: unknown): string | undefined => {
    if (isScalar(key)) {
      const text = key.value === null || key.value === undefined ? '' : String(key.value);
      if (text === '__proto__') {
        problems.push({
          fatal: false,
          offset: offsetOf(key),
          message: 'the key __proto__ is not allowed — rename it',
        });
        return undefined;
      }
      return text;
    }
    problems.push({
      fatal: false,
      offset: offsetOf(key),
      message: 'only plain keys (strings, numbers, booleans) are supported — write the key as text',
    });
    return undefined;
  };

  const define = (target: Record<string, unknown>, key: string, value: unknown): void => {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  };

  const pairsToObject = (pairs: readonly Pair[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const merges: unknown[] = [];
    for (const pair of pairs) {
      if (isMergeKey(pair.key)) {
        merges.push(pair.value);
        continue;
      }
      const key = keyOf(pair.key);
      if (key === undefined) continue;
      if (Object.hasOwn(out, key)) {
        problems.push({
          fatal: false,
          offset: offsetOf(pair.key),
          message: `the key "${key}" appears twice in this mapping — remove one`,
        });
        continue;
      }
      define(out, key, toValue(pair.value));
    }
    for (const merge of merges) {
      const sources = isSeq(merge) ? (merge.items as unknown[]) : [merge];
      for (const source of sources) {
        const value = toValue(source);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          problems.push({
            fatal: false,
            offset: offsetOf(source),
            message:
              'a merge key (<<) takes a mapping or a list of mappings, usually an alias like *defaults',
          });
          continue;
        }
        for (const [key, v] of Object.entries(value)) if (!Object.hasOwn(out, key)) define(out, key, v);
      }
    }
    return out;
  };

  const value = toValue(contents);
  return { value, aliasTargets, problems };
}
