import type { ErrorCode } from 'yaml';

/** What to do about each YAML syntax problem, appended to the parser's own message. */
const HINTS: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: 'check this line is indented like its siblings (spaces only)',
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  DUPLICATE_KEY: 'remove or rename one of the two keys',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; quote it or fix the line break',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block cannot be a key; check the indentation and the ":"',
  UNEXPECTED_TOKEN: 'check the characters at this position; quote values that contain ":", "#", "[" or "{"',
  BAD_ALIAS: 'an alias is written *name and must refer to an anchor &name defined earlier',
  BAD_DQ_ESCAPE: 'in double quotes, write a backslash as \\\\ or use single quotes',
  BLOCK_IN_FLOW: 'inside [...] or {...} use the flow style only (commas, no line-leading "- ")',
  TAG_RESOLVE_FAILED: 'remove the tag or use a standard one (!!str, !!int, !!bool, !!float, !!map, !!seq)',
  KEY_OVER_1024_CHARS: 'shorten the key',
  NON_STRING_KEY: 'use a plain string as the key',
  MULTIPLE_ANCHORS: 'a node takes one &anchor',
  MULTIPLE_TAGS: 'a node takes one !tag',
  BAD_PROP_ORDER: 'write the anchor and tag before the value',
};

export function syntaxMessage(code: ErrorCode, message: string): string {
  const text = message.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  const hint = HINTS[code];
  return hint ? `YAML syntax error: ${text} — ${hint}` : `YAML syntax error: ${text}`;
}
