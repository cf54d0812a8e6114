/** The commit message of a write-back: subject, body, and `Wheelhouse-*` trailers. */
export interface CommitMessage {
  subject: string;
  body?: string;
  /** `Wheelhouse-Actor`, `Wheelhouse-Request`, `Wheelhouse-Approved-By` (repeated per approver). */
  trailers: [string, string][];
}

/** A trailer key as git reads one: letters, digits and dashes. */
const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** A body line that reads like one of our trailers (`Wheelhouse-Approved-By: ...`). */
const LOOKS_LIKE_OUR_TRAILER = /^\s*wheelhouse-[A-Za-z0-9-]*\s*:/i;

/** Every control character (line breaks included) as a space, for one-line fields. */
function oneLine(text: string): string {
  return replaceControls(text, () => ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Several lines of text, never a forged trailer: control characters other than line feeds and
 * tabs become spaces, and a line that reads like a `Wheelhouse-*:` trailer is quoted (`> `), so
 * the only such lines are the trailers this module writes, in the last paragraph.
 */
function safeBody(text: string): string {
  return replaceControls(text.replace(/\r\n?/g, '\n'), (code) =>
    code === 10 || code === 9 ? undefined : ' ',
  )
    .split('\n')
    .map((line) => (LOOKS_LIKE_OUR_TRAILER.test(line) ? `> ${line}` : line))
    .join('\n')
    .trim();
}

/** Replaces C0, DEL, C1 and U+2028/2029 characters by what `by` returns (undefined: keep it). */
function replaceControls(text: string, by: (code: number) => string | undefined): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    out += control ? (by(code) ?? char) : char;
  }
  return out;
}

/**
 * The message git receives. Whatever the subject, body or trailer values hold (request texts,
 * `set env` values), the trailers git parses are exactly `message.trailers`: subject and values
 * are folded to one line, body lines that read like our trailers are quoted, and a trailer key
 * that is not a plain token is refused.
 */
export function formatCommitMessage(message: CommitMessage): string {
  const parts = [oneLine(message.subject)];
  const body = message.body === undefined ? '' : safeBody(message.body);
  if (body) parts.push(body);
  if (message.trailers.length > 0) {
    for (const [key] of message.trailers) {
      if (!TRAILER_KEY.test(key)) {
        throw new Error(
          `commit trailer key ${JSON.stringify(key)} is not a token of letters, digits and dashes`,
        );
      }
    }
    parts.push(message.trailers.map(([key, value]) => `${key}: ${oneLine(value)}`).join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

export function wheelhouseTrailers(input: {
  actor: string;
  request?: string;
  approvedBy?: readonly string[];
}): [string, string][] {
  const out: [string, string][] = [['Wheelhouse-Actor', input.actor]];
  if (input.request) out.push(['Wheelhouse-Request', input.request]);
  for (const approver of input.approvedBy ?? []) out.push(['Wheelhouse-Approved-By', approver]);
  return out;
}
