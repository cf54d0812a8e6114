/**
 * Cutting text into IRC message lines. A line on the wire is at most 512 bytes including the
 * sender's `:nick!user@host PRIVMSG #channel :` prefix the server adds and the final CR LF, so
 * each piece of text must fit the bytes that remain. Pieces break at spaces where they can and
 * never inside a UTF-8 character.
 */

/** The longest IRC line, CR LF included (RFC 1459 §2.3). */
export const IRC_LINE_BYTES = 512;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Bytes of text that fit a PRIVMSG/NOTICE to `target` as relayed by the server:
 * 512 − CR LF − `:nick!user@host PRIVMSG target :`. Unknown user/host parts are assumed long.
 */
export function textBudget(input: { nick: string; user?: string; host?: string; target: string }): number {
  const user = input.user ?? 'x'.repeat(10);
  const host = input.host ?? 'x'.repeat(63);
  const overhead = utf8Length(`:${input.nick}!${user}@${host} PRIVMSG ${input.target} :`) + 2;
  return Math.max(32, IRC_LINE_BYTES - overhead);
}

/** Text as one IRC line may carry it: no control characters but IRC formatting, tabs as spaces. */
export function cleanLine(line: string): string {
  return (
    line
      .replace(/\t/g, '  ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0001\u0004-\u000e\u0010-\u001c\u001e\u007f]/g, '')
      .trimEnd()
  );
}

/** The longest prefix of `text` (in whole code points) that fits `maxBytes`. */
function fitPrefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** One logical line → pieces of at most `maxBytes` bytes each, broken at spaces where possible. */
export function splitLine(line: string, maxBytes: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (utf8Length(rest) > maxBytes) {
    const head = fitPrefix(rest, maxBytes);
    const space = head.lastIndexOf(' ');
    // Break at the last space unless that would leave a tiny first piece.
    const cut = space > head.length / 2 ? space : head.length;
    if (cut === 0) break;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ +/, '');
  }
  if (rest !== '') out.push(rest);
  return out;
}

/** Text (any number of lines) → non-empty IRC lines of at most `maxBytes` bytes each. */
export function splitForIrc(text: string, maxBytes: number): string[] {
  return text
    .split(/\r?\n/)
    .map(cleanLine)
    .filter((line) => line.trim() !== '')
    .flatMap((line) => splitLine(line, maxBytes));
}
