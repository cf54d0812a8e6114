import type { SourceLocation, ValidationIssue } from '../../core/index.js';
import { didYouMean, formatFieldPath } from '../../util/index.js';
import type { YamlDocument, YamlPath } from '../yaml/index.js';

/**
 * Reads values out of a parsed compose file and reports problems at their `file:line:column`,
 * with the field path (`services.web.ports[1]`), what is wrong and what to do.
 */
export class Reader {
  readonly issues: ValidationIssue[] = [];
  /**
   * Files merged over the first one (an override file, included files): a path they write points
   * there. An included file owns only its entries (`services.db...`), never a top-level key.
   */
  private readonly layers: { file: string; doc: YamlDocument; value: unknown; minDepth: number }[] = [];

  constructor(
    readonly file: string,
    private readonly doc: YamlDocument,
  ) {}

  /** A file merged over this one: problems at paths it writes are reported in it. */
  layer(file: string, doc: YamlDocument, value: unknown, minDepth = 0): void {
    this.layers.push({ file, doc, value, minDepth });
  }

  at(path: YamlPath, where: 'key' | 'value' = 'value'): SourceLocation {
    const layer = this.layers.findLast((l) => path.length >= l.minDepth && hasPath(l.value, path));
    return layer
      ? { file: layer.file, ...layer.doc.locate(path, where) }
      : { file: this.file, ...this.doc.locate(path, where) };
  }

  issue(path: YamlPath, message: string, where: 'key' | 'value' = 'value'): void {
    const { file, line, column } = this.at(path, where);
    this.issues.push({ file, line, column, path: formatFieldPath(path), message });
  }

  /** An issue somewhere else (an env file), at a known line. */
  issueIn(file: string, line: number, column: number, path: string, message: string): void {
    this.issues.push({ file, line, column, path, message });
  }

  /**
   * Report every key of `map` that is not in `supported` (ignoring `x-` extensions), each by name
   * at its own position; `notes` gives a specific message for known keys we refuse.
   */
  checkKeys(
    path: YamlPath,
    map: Record<string, unknown>,
    supported: readonly string[],
    notes: Readonly<Record<string, string>> = {},
  ): void {
    for (const key of Object.keys(map)) {
      if (supported.includes(key) || key.startsWith('x-')) continue;
      const note = notes[key];
      const where = formatFieldPath(path);
      this.issue(
        [...path, key],
        note ??
          `"${key}" is not supported in ${where || 'the top level'} of a compose file for Wheelhouse — remove it${didYouMean(key, supported)}`,
        'key',
      );
    }
  }

  /** A mapping, or undefined (reported) when it is something else. */
  map(path: YamlPath, value: unknown, what = 'a mapping'): Record<string, unknown> | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
    this.issue(path, `must be ${what}, not ${describe(value)}`);
    return undefined;
  }

  /** A string (numbers and booleans are written as text, as compose does), or undefined (reported). */
  text(path: YamlPath, value: unknown, what = 'a string'): string | undefined {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.issue(path, `must be ${what}, not ${describe(value)}`);
    return undefined;
  }

  /** A whole number in [min, max] (a numeric string is accepted), or undefined (reported). */
  integer(path: YamlPath, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
    this.issue(
      path,
      `must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, not ${describe(value)}`,
    );
    return undefined;
  }

  /** A positive number (a numeric string such as "0.5" is accepted), or undefined (reported). */
  positive(path: YamlPath, value: unknown): number | undefined {
    const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n) && n > 0) return n;
    this.issue(path, `must be a positive number such as 0.5 or 2, not ${describe(value)}`);
    return undefined;
  }

  boolean(path: YamlPath, value: unknown): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.issue(path, `must be true or false, not ${describe(value)}`);
    return undefined;
  }

  /** A list of strings, or a single string when `allowString`. */
  strings(path: YamlPath, value: unknown): string[] | undefined {
    if (!Array.isArray(value)) {
      this.issue(path, `must be a list of strings, not ${describe(value)}`);
      return undefined;
    }
    const out: string[] = [];
    value.forEach((item, i) => {
      const text = this.text([...path, i], item);
      if (text !== undefined) out.push(text);
    });
    return out.length === value.length ? out : undefined;
  }
}

function hasPath(value: unknown, path: YamlPath): boolean {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !(segment in current)) return false;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return true;
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}
