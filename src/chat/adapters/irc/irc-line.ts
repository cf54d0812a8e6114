/**
 * IRC protocol lines (RFC 1459 / 2812 with IRCv3 message tags): parse what the server sends,
 * format what we send. Formatting never lets CR, LF or NUL through, so a user string can never
 * smuggle a second command onto the wire.
 */
export interface IrcLine {
  /** IRCv3 message tags (`account`, `msgid`, `time`), unescaped. */
  tags: Readonly<Record<string, string>>;
  /** `nick!user@host` or a server name. */
  prefix?: string;
  /** Upper-case command or three-digit numeric. */
  command: string;
  params: string[];
}

const TAG_ESCAPES: Readonly<Record<string, string>> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

function unescapeTag(value: string): string {
  return value.replace(/\\(.?)/g, (_m, c: string) => (c === '' ? '' : (TAG_ESCAPES[c] ?? c)));
}

/** One line as received (without CR LF); undefined for an empty or malformed line. */
export function parseLine(raw: string): IrcLine | undefined {
  let rest = raw.replace(/[\r\n]+$/, '');
  const tags: Record<string, string> = {};
  if (rest.startsWith('@')) {
    const end = rest.indexOf(' ');
    if (end === -1) return undefined;
    for (const part of rest.slice(1, end).split(';')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const key = eq === -1 ? part : part.slice(0, eq);
      tags[key] = eq === -1 ? '' : unescapeTag(part.slice(eq + 1));
    }
    rest = rest.slice(end + 1).trimStart();
  }
  let prefix: string | undefined;
  if (rest.startsWith(':')) {
    const end = rest.indexOf(' ');
    if (end === -1) return undefined;
    prefix = rest.slice(1, end);
    rest = rest.slice(end + 1).trimStart();
  }
  const params: string[] = [];
  let command = '';
  while (rest.length > 0) {
    if (command !== '' && rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const end = rest.indexOf(' ');
    const word = end === -1 ? rest : rest.slice(0, end);
    rest = end === -1 ? '' : rest.slice(end + 1).replace(/^ +/, '');
    if (command === '') command = word.toUpperCase();
    else params.push(word);
  }
  if (command === '') return undefined;
  return { tags, ...(prefix !== undefined ? { prefix } : {}), command, params };
}

/** Strip what would end or corrupt a protocol line: CR, LF and NUL. */
export function stripLineBreaks(value: string): string {
  return value.replace(/[\r\n\0]+/g, ' ');
}

/**
 * `COMMAND p1 p2 :last param`. Middle parameters must be single words (no spaces, no leading
 * colon); the last one is sent as a trailing parameter when it needs to be.
 */
export function formatLine(command: string, params: readonly string[] = []): string {
  const parts = [command];
  params.forEach((raw, i) => {
    const param = stripLineBreaks(raw);
    const last = i === params.length - 1;
    if (last && (param === '' || param.includes(' ') || param.startsWith(':'))) parts.push(`:${param}`);
    else parts.push(param.replace(/ /g, '_').replace(/^:/, '_'));
  });
  return parts.join(' ');
}

/** `nick` of a `nick!user@host` prefix. */
export function nickOf(prefix: string | undefined): string | undefined {
  if (!prefix) return undefined;
  const bang = prefix.indexOf('!');
  return bang === -1 ? prefix : prefix.slice(0, bang);
}

export type CaseMapping = 'ascii' | 'rfc1459' | 'strict-rfc1459';

/** Lower-case a nick or channel the way the server compares them (ISUPPORT CASEMAPPING). */
export function ircLower(value: string, mapping: CaseMapping = 'rfc1459'): string {
  const lower = value.toLowerCase();
  if (mapping === 'ascii') return lower;
  const mapped = lower.replace(/\[/g, '{').replace(/\]/g, '}').replace(/\\/g, '|');
  return mapping === 'rfc1459' ? mapped.replace(/~/g, '^') : mapped;
}

/** Channel names start with one of the server's CHANTYPES (default `#&`). */
export function isChannelName(target: string, chantypes = '#&+!'): boolean {
  return target.length > 1 && chantypes.includes(target.charAt(0));
}
