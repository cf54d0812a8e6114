/**
 * Text from Git, locks, chat and workloads may hold control characters that a terminal or chat
 * client acts on: `ESC ]0;` sets a window title, `ESC [2J` clears the screen, OSC 52 writes the
 * clipboard, a carriage return overwrites a line, bidi overrides reorder what is read. Every
 * output boundary (CLI printers, chat renderers) passes text through `escapeControl`: newlines
 * and tabs stay (they are layout), every other control character is shown visibly as `\xNN`
 * (or `\uNNNN`), so nothing is hidden and nothing is acted on.
 */

// C0 except tab and newline, DEL, C1, the bidi embeddings/overrides/isolates, and the line and
// paragraph separators some terminals and chat clients treat as line breaks.
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SGR_OR_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding colour sequences is the point
  /\u001b\[([0-9;]*)m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export interface EscapeControlOptions {
  /**
   * SGR parameters that may pass as colour sequences (`ESC [ n m`), for printers that colour
   * their own output; any other sequence is escaped like the rest. Default: none.
   */
  colours?: ReadonlySet<string>;
}

/** `\x1b` for the first 256 code points, `\u202e` above. */
export function visibleControl(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character but newline and tab shown visibly (see the file comment). */
export function escapeControl(text: string, options: EscapeControlOptions = {}): string {
  const colours = options.colours;
  if (!colours) return text.replace(CONTROL, visibleControl);
  return text.replace(SGR_OR_CONTROL, (match: string, params: string | undefined) => {
    if (params === undefined) return visibleControl(match);
    const allowed = params.split(';').every((p) => colours.has(p));
    return allowed ? match : `${visibleControl('\u001b')}${match.slice(1)}`;
  });
}
