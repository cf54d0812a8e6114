import { Composer, type CST, isScalar, Lexer, LineCounter, Parser } from 'yaml';
import { errorMessage, type ValidationIssue } from '../../core/index.js';
import { formatBytes } from '../../util/format-bytes.js';
import { bytePosition, firstInvalidUtf8 } from '../../util/utf8.js';
import { documentOffsets, findExcessiveNesting } from './cst-depth.js';
import { documentValue } from './document-value.js';
import { DEFAULT_YAML_LIMITS, type YamlLimits } from './limits.js';
import { locateOffset, type YamlPath } from './locate.js';
import { syntaxMessage } from './messages.js';
import { prescan } from './prescan.js';

export interface YamlPosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface YamlDocument {
  /** 0-based position of the document in its file. */
  index: number;
  /**
   * The document as plain values (aliases expanded, merge keys applied); `undefined` when a
   * limit refused it. A document with syntax errors still carries what the parser recovered.
   */
  value: unknown;
  /** No content at all (only comments, or `~`). */
  empty: boolean;
  /** Syntax errors or refusals were reported for this document. */
  hasErrors: boolean;
  /** Where the document's content starts. */
  position: YamlPosition;
  /** Where a field is written; a missing field maps to the deepest part of its path that exists. */
  locate(path: YamlPath, at?: 'key' | 'value'): YamlPosition;
}

export interface ParsedYaml {
  documents: YamlDocument[];
  issues: ValidationIssue[];
}

export interface ParseYamlInput {
  /** Raw bytes (checked to be UTF-8) or already-decoded text. */
  text: string | Uint8Array;
  /** Used in issues: a path relative to the repo root. */
  file: string;
  /**
   * Allow several `---`-separated documents (manifests); default false (wheelhouse.yaml), where
   * empty documents (a stray `---`) are tolerated but a second one with content is refused.
   */
  multiDocument?: boolean;
  limits?: Partial<YamlLimits>;
  /** The file's full size when `text` holds only its head (reported instead of the head's length). */
  size?: number;
}

/**
 * Parses a user's YAML file defensively. Never throws and never expands hostile input: files over
 * the size cap, non-UTF-8 bytes, nesting bombs and alias bombs come back as issues that say where
 * and what to do.
 */
export function parseYaml(input: ParseYamlInput): ParsedYaml {
  try {
    return parseChecked(input, { ...DEFAULT_YAML_LIMITS, ...input.limits });
  } catch (err) {
    return {
      documents: [],
      issues: [
        {
          file: input.file,
          line: 1,
          column: 1,
          path: '',
          message: `could not be read as YAML (${errorMessage(err)}) — check the file's syntax`,
        },
      ],
    };
  }
}

function parseChecked(input: ParseYamlInput, limits: YamlLimits): ParsedYaml {
  const { file } = input;
  const refuse = (line: number, column: number, message: string): ParsedYaml => ({
    documents: [],
    issues: [{ file, line, column, path: '', message }],
  });

  const read = typeof input.text === 'string' ? Buffer.byteLength(input.text, 'utf8') : input.text.byteLength;
  const size = Math.max(read, input.size ?? 0);
  if (size > limits.maxBytes) {
    return refuse(
      1,
      1,
      `file is ${formatBytes(size)}, over the ${formatBytes(limits.maxBytes)} limit for YAML files — split it into smaller files`,
    );
  }

  let text: string;
  if (typeof input.text === 'string') text = input.text;
  else {
    const decoded = decodeUtf8(input.text);
    if (typeof decoded !== 'string') return refuse(decoded.line, decoded.column, decoded.message);
    text = decoded;
  }

  const lineCounter = new LineCounter();
  const position = (offset: number): YamlPosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const lexemes = Array.from(new Lexer().lex(text));
  const early = prescan(lexemes, limits);
  if (early) {
    // The line counter is fed by the parser, which has not run: count the prefix's lines here.
    const before = text.slice(0, early.offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return refuse(before.split('\n').length, early.offset - lineStart + 1, early.message);
  }
  const tokens = parseLexemes(lexemes, lineCounter);

  const deep = findExcessiveNesting(tokens, limits.maxDepth);
  if (deep !== undefined) {
    const p = position(deep);
    return refuse(
      p.line,
      p.column,
      `nesting is deeper than ${limits.maxDepth} levels — flatten the structure`,
    );
  }
  const starts = documentOffsets(tokens);
  const second = starts[1];
  if (!input.multiDocument && second !== undefined) {
    const p = position(second);
    return refuse(
      p.line,
      p.column,
      `holds ${starts.length} YAML documents but takes exactly one — remove the "---" separator and merge or move the rest`,
    );
  }

  const composer = new Composer({ version: '1.2', schema: 'core', uniqueKeys: true, strict: true });
  const docs = Array.from(composer.compose(tokens));
  const issues: ValidationIssue[] = [];
  let syntaxCount = 0;
  const documents: YamlDocument[] = docs.map((doc, index) => {
    const docIssues: ValidationIssue[] = [];
    for (const error of [...doc.errors, ...doc.warnings]) {
      syntaxCount += 1;
      if (syntaxCount > limits.maxSyntaxIssues) continue;
      const p = position(error.pos[0]);
      docIssues.push({ file, ...p, path: '', message: syntaxMessage(error.code, error.message) });
    }
    const contents = doc.contents;
    const converted = documentValue(contents, limits);
    const syntaxOffsets = new Set(doc.errors.map((e) => e.pos[0]));
    for (const problem of converted.problems) {
      // The parser already reported this spot (e.g. a duplicate key): say it once.
      if (!problem.fatal && syntaxOffsets.has(problem.offset)) continue;
      docIssues.push({ file, ...position(problem.offset), path: '', message: problem.message });
    }
    issues.push(...docIssues);
    const start = contents?.range[0] ?? doc.range[0];
    return {
      index,
      value: converted.value,
      empty: contents === null || (isScalar(contents) && contents.value === null),
      hasErrors: docIssues.length > 0 || doc.errors.length > 0,
      position: position(start),
      locate: (path, at = 'value') =>
        position(locateOffset(contents, converted.aliasTargets, path, at, start)),
    };
  });
  if (syntaxCount > limits.maxSyntaxIssues) {
    const last = issues[issues.length - 1];
    issues.push({
      file,
      line: last?.line ?? 1,
      column: last?.column ?? 1,
      path: '',
      message: `${syntaxCount - limits.maxSyntaxIssues} more YAML syntax errors not shown — fix the ones above first`,
    });
  }
  return { documents, issues };
}

function decodeUtf8(bytes: Uint8Array): string | { line: number; column: number; message: string } {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = Math.max(0, firstInvalidUtf8(bytes));
    const { line, column } = bytePosition(bytes, offset);
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    return {
      line,
      column,
      message: utf16
        ? 'is UTF-16 encoded — save it as UTF-8'
        : `is not valid UTF-8: byte 0x${byte} at offset ${offset} — save the file as UTF-8`,
    };
  }
}

/** What `new Parser(onNewLine).parse(text)` yields, from lexemes already made by the prescan. */
function parseLexemes(lexemes: readonly string[], lineCounter: LineCounter): CST.Token[] {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of lexemes) for (const token of parser.next(lexeme)) tokens.push(token);
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}
