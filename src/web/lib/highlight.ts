/**
 * A small highlighter for YAML and for the unified diffs Wheelhouse prints: it splits one line
 * into tokens a stylesheet colours. No grammar: keys, scalars, comments, diff signs and the
 * `***` of redacted secrets are what a reader looks for.
 */

export type TokenType =
  | 'sign'
  | 'key'
  | 'punct'
  | 'string'
  | 'number'
  | 'bool'
  | 'null'
  | 'comment'
  | 'secret'
  | 'arrow'
  | 'heading'
  | 'text';

export interface Token {
  type: TokenType;
  text: string;
}

/** What kind of diff line this is: added, removed, changed, drift, unchanged, or plain. */
export type LineKind = 'add' | 'del' | 'change' | 'drift' | 'same' | 'plain';

export interface HighlightedLine {
  kind: LineKind;
  tokens: Token[];
}

const SIGNS: Readonly<Record<string, LineKind>> = {
  '+': 'add',
  '-': 'del',
  '~': 'change',
  '!': 'drift',
  '=': 'same',
};

const SCALAR =
  /("(?:[^"\\]|\\.)*"|(?<!\w)'(?:[^']|'')*'|\*\*\*|→|->|(?<![\w.$-])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.:/-])|\b(?:true|false)\b|\bnull\b|~(?=$|\s)|[[\]{},])/g;

function scalarType(text: string): TokenType {
  if (text === '***') return 'secret';
  if (text === '→' || text === '->') return 'arrow';
  if (text.startsWith('"') || text.startsWith("'")) return 'string';
  if (/^[[\]{},]$/.test(text)) return 'punct';
  if (/^-?\d/.test(text)) return 'number';
  if (text === 'null' || text === '~') return 'null';
  return 'bool';
}

/** Tokens of a value: quoted strings, numbers, booleans, null, `***`, arrows; the rest is text. */
export function valueTokens(value: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const match of value.matchAll(SCALAR)) {
    const at = match.index ?? 0;
    if (at > last) out.push({ type: 'text', text: value.slice(last, at) });
    out.push({ type: scalarType(match[0]), text: match[0] });
    last = at + match[0].length;
  }
  if (last < value.length) out.push({ type: 'text', text: value.slice(last) });
  return merge(out);
}

/** Adjacent tokens of one type become one. */
function merge(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    if (token.text === '') continue;
    const prev = out.at(-1);
    if (prev && prev.type === token.type) prev.text += token.text;
    else out.push({ ...token });
  }
  return out;
}

/** Where a `#` comment starts (outside quotes, at the start or after a space); -1 when none. */
function commentStart(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) return i;
  }
  return -1;
}

/**
 * One line of YAML or of a Wheelhouse diff. A leading `+ `, `- `, `~ `, `! ` or `= ` (after any
 * indentation) marks a diff line; `- ` is a YAML list item instead when `diff` is false.
 */
export function highlightLine(line: string, options: { diff?: boolean } = {}): HighlightedLine {
  const diff = options.diff ?? true;
  const tokens: Token[] = [];
  let rest = line;
  let kind: LineKind = 'plain';
  const signed = /^(\s*)([+\-~!=])( |$)/.exec(rest);
  if (diff && signed) {
    kind = SIGNS[signed[2] ?? ''] ?? 'plain';
    tokens.push({ type: 'text', text: signed[1] ?? '' });
    tokens.push({ type: 'sign', text: `${signed[2]}${signed[3]}` });
    rest = rest.slice(signed[0].length);
  }
  const hash = commentStart(rest);
  const comment = hash >= 0 ? rest.slice(hash) : '';
  if (hash >= 0) rest = rest.slice(0, hash);

  const item = /^(\s*)(- )/.exec(rest);
  if (item) {
    tokens.push({ type: 'text', text: item[1] ?? '' }, { type: 'punct', text: '- ' });
    rest = rest.slice(item[0].length);
  }
  const keyed = /^(\s*)([^\s:"'#[\]{},][^:#]*?|"(?:[^"\\]|\\.)*"|\[\d+\])(:)(?=\s|$)/.exec(rest);
  if (keyed) {
    tokens.push({ type: 'text', text: keyed[1] ?? '' });
    tokens.push({ type: 'key', text: keyed[2] ?? '' }, { type: 'punct', text: ':' });
    rest = rest.slice(keyed[0].length);
    tokens.push(...valueTokens(rest));
  } else if (kind !== 'plain' && /^[A-Z][A-Za-z]+ \S/.test(rest)) {
    // A resource header such as `~ Process web (configured)`.
    tokens.push({ type: 'heading', text: rest });
  } else {
    tokens.push(...valueTokens(rest));
  }
  if (comment) tokens.push({ type: 'comment', text: comment });
  return { kind, tokens: merge(tokens) };
}

/** Every line of a text (YAML or a diff). */
export function highlight(text: string, options: { diff?: boolean } = {}): HighlightedLine[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines.map((line) => highlightLine(line, options));
}
