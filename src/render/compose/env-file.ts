/** One `KEY=VALUE` line of an env file; `value` undefined for a bare `KEY` (taken from the environment). */
export interface EnvEntry {
  key: string;
  value?: string;
  line: number;
}

export interface EnvFile {
  entries: EnvEntry[];
  problems: { line: number; column: number; message: string }[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parse an env file as compose reads it: `KEY=VALUE` lines, `#` comments, an optional `export `,
 * single quotes literal, double quotes with `\n`, `\t`, `\"` and `\\` escapes, unquoted values
 * trimmed with ` #` comments removed.
 */
export function parseEnvFile(text: string): EnvFile {
  const entries: EnvEntry[] = [];
  const problems: EnvFile['problems'] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = trimmed.startsWith('export ') ? trimmed.slice('export '.length).trimStart() : trimmed;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    const column = raw.indexOf(key) + 1;
    if (!KEY.test(key)) {
      problems.push({
        line,
        column: Math.max(1, column),
        message: `"${key}" is not a variable name — write KEY=VALUE`,
      });
      return;
    }
    if (eq < 0) {
      entries.push({ key, line });
      return;
    }
    const value = parseValue(body.slice(eq + 1));
    if (typeof value !== 'string') {
      problems.push({ line, column: Math.max(1, column), message: value.error });
      return;
    }
    entries.push({ key, value, line });
  });
  return { entries, problems };
}

function parseValue(raw: string): string | { error: string } {
  const text = raw.trimStart();
  if (text.startsWith("'")) {
    const end = text.indexOf("'", 1);
    if (end < 0)
      return { error: 'the single-quoted value is never closed (multi-line values are not supported)' };
    return text.slice(1, end);
  }
  if (text.startsWith('"')) {
    let out = '';
    for (let i = 1; i < text.length; i++) {
      const ch = text.charAt(i);
      if (ch === '"') return out;
      if (ch === '\\' && i + 1 < text.length) {
        const next = text.charAt(i + 1);
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
        i += 1;
      } else out += ch;
    }
    return { error: 'the double-quoted value is never closed (multi-line values are not supported)' };
  }
  const comment = text.search(/\s#/);
  return (comment < 0 ? text : text.slice(0, comment)).trim();
}
