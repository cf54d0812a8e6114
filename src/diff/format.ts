import type { ChangeAction, FieldChange, ResourceChange } from '../core/index.js';
import { noRedaction } from '../util/index.js';
import { diffLines, type LineOp, withContext } from './lines.js';
import { type RedactOptions, redactFieldValue } from './redact-changes.js';

export interface FormatDiffOptions extends RedactOptions {
  /** List unchanged resources too (as `= Kind name (unchanged)`); default false. */
  showUnchanged?: boolean;
  /** End with a count per action; default true. */
  summary?: boolean;
  /** Add each resource's identity key to its header; default false. */
  showKeys?: boolean;
  /** Longer rendered values are cut with an ellipsis; default 200 characters. */
  maxValueLength?: number;
  /** Fields listed per resource before "… and N more"; default 50. */
  maxFieldsPerResource?: number;
  /** Lines shown of one multi-line value (file contents); default 40. */
  maxLinesPerField?: number;
  /** Unchanged lines kept around a change inside a multi-line value; default 2. */
  contextLines?: number;
  /** ANSI colours for terminals; default false. */
  color?: boolean;
}

const SYMBOL: Record<ChangeAction, string> = { created: '+', configured: '~', deleted: '-', unchanged: '=' };
const ORDER: readonly ChangeAction[] = ['created', 'configured', 'deleted', 'unchanged'];
const COLOR: Record<string, string> = { '+': '32', '-': '31', '~': '33', '!': '36', '=': '2' };
const FIELD_INDENT = '    ';
const LINE_INDENT = '        ';

/**
 * A readable, unified-style rendering of a change set: one header per resource
 * (`~ Process web (configured)`), then one line per field (`+` added, `-` removed, `~` changed;
 * multi-line strings as a line diff), drift notes (`! drift: …`) and a summary. Secrets are
 * masked and redacted (see `RedactOptions`). The same text serves the API, chat and the CLI.
 */
export function formatDiff(changes: readonly ResourceChange[], options: FormatDiffOptions = {}): string {
  const paint = painter(options.color ?? false);
  const shown = changes.filter((change) => options.showUnchanged === true || change.action !== 'unchanged');
  const lines: string[] = [];
  for (const change of shown) {
    const symbol = SYMBOL[change.action];
    const key = options.showKeys === true ? `  [${change.key}]` : '';
    lines.push(paint(symbol, `${symbol} ${change.kind} ${change.name} (${change.action})${key}`));
    const max = options.maxFieldsPerResource ?? 50;
    for (const field of change.fields.slice(0, max)) lines.push(...formatField(field, options, paint));
    if (change.fields.length > max)
      lines.push(`${FIELD_INDENT}… and ${change.fields.length - max} more fields`);
    if (change.drift !== undefined) {
      const redact = options.redact ?? noRedaction;
      lines.push(paint('!', `${FIELD_INDENT}! drift: ${redact(change.drift)}`));
    }
  }
  if (shown.length === 0) {
    lines.push(
      changes.length === 0 ? 'No resources.' : `No changes: ${plural(changes.length, 'resource')} in sync.`,
    );
  } else if (options.summary ?? true) {
    if (lines.length > 0) lines.push('');
    lines.push(summarize(changes));
  }
  return lines.join('\n');
}

/** `1 created, 2 configured, 0 deleted, 3 unchanged` */
export function summarize(changes: readonly ResourceChange[]): string {
  const counts = ORDER.map(
    (action) => `${changes.filter((change) => change.action === action).length} ${action}`,
  );
  return `Summary: ${counts.join(', ')}.`;
}

function formatField(field: FieldChange, options: FormatDiffOptions, paint: Paint): string[] {
  const hasLive = 'live' in field;
  const hasDesired = 'desired' in field;
  const live = hasLive ? redactFieldValue(field.path, field.live, options) : undefined;
  const desired = hasDesired ? redactFieldValue(field.path, field.desired, options) : undefined;
  const symbol = hasLive && hasDesired ? '~' : hasDesired ? '+' : '-';
  if (isMultiline(live, desired)) {
    const before = typeof live === 'string' ? textLines(live) : [];
    const after = typeof desired === 'string' ? textLines(desired) : [];
    const ops = withContext(diffLines(before, after), options.contextLines ?? 2);
    const max = options.maxLinesPerField ?? 40;
    const out = [paint(symbol, `${FIELD_INDENT}${symbol} ${field.path}:`)];
    for (const op of ops.slice(0, max)) out.push(op === null ? `${LINE_INDENT}  …` : formatLine(op, paint));
    if (ops.length > max) out.push(`${LINE_INDENT}… and ${ops.length - max} more lines`);
    return out;
  }
  const limit = options.maxValueLength ?? 200;
  const text =
    symbol === '~'
      ? `${render(live, limit)} → ${render(desired, limit)}`
      : render(symbol === '+' ? desired : live, limit);
  return [paint(symbol, `${FIELD_INDENT}${symbol} ${field.path}: ${text}`)];
}

function formatLine(line: LineOp, paint: Paint): string {
  const text = `${LINE_INDENT}${line.op} ${line.text}`;
  return line.op === ' ' ? text : paint(line.op, text);
}

/** Lines of a text; a final newline ends the last line rather than starting an empty one. */
function textLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isMultiline(live: unknown, desired: unknown): boolean {
  const textual = (value: unknown) => value === undefined || typeof value === 'string';
  const multi = (value: unknown) => typeof value === 'string' && value.includes('\n');
  return textual(live) && textual(desired) && (multi(live) || multi(desired));
}

function render(value: unknown, limit: number): string {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
  const shown = text === undefined ? String(value) : text;
  return shown.length > limit ? `${shown.slice(0, Math.max(0, limit - 1))}…` : shown;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

type Paint = (symbol: string, text: string) => string;

function painter(color: boolean): Paint {
  if (!color) return (_symbol, text) => text;
  return (symbol, text) => {
    const code = COLOR[symbol];
    return code === undefined ? text : `\u001b[${code}m${text}\u001b[0m`;
  };
}
