import { type Document, isMap, isScalar, parse, parseAllDocuments, Scalar, type YAMLMap } from 'yaml';
import { WheelhouseError } from '../core/index.js';

export type YamlValue = string | number | boolean;
export type YamlPath = readonly (string | number)[];

/** Parse every document of a YAML file, refusing one that does not parse cleanly. */
export function parseDocuments(text: string, file: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { keepSourceTokens: true });
  if (!Array.isArray(docs)) return [];
  for (const doc of docs) {
    const [problem] = doc.errors;
    if (problem) {
      const where = problem.linePos?.[0] ? `:${problem.linePos[0].line}:${problem.linePos[0].col}` : '';
      throw new WheelhouseError(
        'WRITEBACK_FAILED',
        `${file}${where} does not parse as YAML (${problem.message.split('\n')[0]}); fix the file in Git, then try again`,
        { details: { file } },
      );
    }
  }
  return docs;
}

/**
 * Set one value in one document of a YAML file and return the new text. An existing scalar is
 * replaced in place — every other byte of the file stays as it was, and its quoting style is
 * kept. A missing key is added through the document API: that document is re-printed (comments
 * kept), the other documents of the file stay byte for byte.
 */
export function setYamlValue(
  text: string,
  file: string,
  docIndex: number,
  path: YamlPath,
  value: YamlValue,
): string {
  const docs = parseDocuments(text, file);
  const doc = docs[docIndex];
  if (!doc)
    throw new WheelhouseError('WRITEBACK_FAILED', `${file} has no document ${docIndex + 1}`, {
      details: { file },
    });
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    return text.slice(0, start) + formatScalar(value, node.type) + text.slice(end);
  }
  if (node !== undefined && !isScalar(node)) {
    throw new WheelhouseError(
      'WRITEBACK_FAILED',
      `${file}: ${path.join('.')} is a ${node && typeof node === 'object' ? 'collection' : 'value'} that cannot be replaced by a single value; edit it in Git by hand`,
      { details: { file, path: path.join('.') } },
    );
  }
  const inserted = insertKey(text, doc, path, value);
  if (inserted !== undefined) return inserted;
  const scalar = new Scalar(value);
  if (typeof value === 'string' && !plainSafe(value)) scalar.type = Scalar.QUOTE_DOUBLE;
  doc.setIn(path, scalar);
  const start = docIndex === 0 ? 0 : (docs[docIndex - 1]?.range[2] ?? 0);
  const end = doc.range[2];
  let printed = doc.toString({ lineWidth: 0 });
  if (end < text.length && !printed.endsWith('\n')) printed += '\n';
  return text.slice(0, start) + printed + text.slice(end);
}

/** A value written as YAML in the style the old value had (plain, single or double quoted). */
export function formatScalar(value: YamlValue, type?: Scalar.Type): string {
  if (typeof value !== 'string') return String(value);
  if (type === Scalar.QUOTE_SINGLE && !/[\n\r\t\\]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (type === Scalar.QUOTE_DOUBLE || !plainSafe(value)) return JSON.stringify(value);
  return value;
}

/** True when the string reads back as the same string unquoted (`debug` yes; `8080`, `yes`, `a: b` no). */
export function plainSafe(value: string): boolean {
  if (value === '' || value !== value.trim() || /[\n\r\t#]|: |^[-?:,[\]{}&*!|>'"%@`]/.test(value))
    return false;
  // YAML 1.1 readers (many tools still are) take these for booleans.
  if (/^(y|n|yes|no|on|off|true|false)$/i.test(value)) return false;
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

/**
 * Add a missing key by inserting text next to its siblings: `, KEY: value` inside a flow map,
 * a new line at the siblings' indentation in a block map (with any missing parent maps). Returns
 * undefined when the shape is unusual; the caller then re-prints the document instead.
 */
function insertKey(text: string, doc: Document.Parsed, path: YamlPath, value: YamlValue): string | undefined {
  let depth = path.length - 1;
  let parent: unknown;
  while (depth >= 0) {
    parent = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (parent !== undefined) break;
    depth--;
  }
  if (depth < 0 || !isMap(parent) || !parent.range) return undefined;
  const rest = path.slice(depth);
  if (rest.some((key) => typeof key !== 'string' || !plainSafe(key))) return undefined;
  const keys = rest as string[];
  const map = parent as YAMLMap;
  if (map.flow) {
    const close = map.range?.[1] !== undefined ? text.lastIndexOf('}', map.range[1]) : -1;
    if (close < 0) return undefined;
    const snippet = flowSnippet(keys, value);
    const before = text.slice(0, close).replace(/\s+$/, '');
    const space = text.slice(before.length, close);
    if (before.endsWith('{')) return `${before} ${snippet} ${text.slice(close)}`;
    return `${before}, ${snippet}${space}${text.slice(close)}`;
  }
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  const firstKey = first && isScalar(first.key) ? first.key : undefined;
  if (!firstKey?.range || !last) return undefined;
  const lineStart = text.lastIndexOf('\n', firstKey.range[0] - 1) + 1;
  const lead = text.slice(lineStart, firstKey.range[0]);
  // The first key of a sequence item sits after `- `: its siblings are indented to the same column.
  if (!/^ *(- +)?$/.test(lead)) return undefined;
  const indent = ' '.repeat(lead.length);
  const lastEnd = lastRangeEnd(last);
  if (lastEnd === undefined) return undefined;
  const newline = text.indexOf('\n', lastEnd);
  const at = newline === -1 ? text.length : newline + 1;
  const lines = keys.map(
    (key, i) => `${indent}${'  '.repeat(i)}${key}:${i === keys.length - 1 ? ` ${formatScalar(value)}` : ''}`,
  );
  const prefix = newline === -1 ? '\n' : '';
  return `${text.slice(0, at)}${prefix}${lines.join('\n')}\n${text.slice(at)}`;
}

function flowSnippet(keys: readonly string[], value: YamlValue): string {
  const [head, ...tail] = keys;
  if (tail.length === 0) return `${head}: ${formatScalar(value)}`;
  return `${head}: { ${flowSnippet(tail, value)} }`;
}

function lastRangeEnd(pair: { key: unknown; value: unknown }): number | undefined {
  const value = pair.value as { range?: [number, number, number] } | null;
  if (value?.range) return value.range[1];
  const key = pair.key as { range?: [number, number, number] } | null;
  return key?.range?.[1];
}
