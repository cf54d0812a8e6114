/**
 * Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+other}`, `${VAR+other}`, and `$$` for a literal `$`.
 * Variables come from the `.env` file beside the compose file only: a render is pure, and the
 * engine's environment is read at apply time for secrets (see `secretReference`).
 */
export type Interpolated = { value: string } | { error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, vars: ReadonlyMap<string, string>): Interpolated {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text.charAt(dollar + 1);
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, dollar + 2);
      if (end < 0) return { error: `"${text}" has a "\${" that is never closed` };
      const resolved = expression(text.slice(dollar + 2, end), vars);
      if ('error' in resolved) return resolved;
      out += resolved.value;
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(dollar + 1))?.[0];
    if (!name) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const value = vars.get(name);
    if (value === undefined) return { error: unsetMessage(name) };
    out += value;
    i = dollar + 1 + name.length;
  }
  return { value: out };
}

/** A value that is exactly `${VAR}` or `$VAR` names a variable to read at apply time. */
export function secretReference(text: string): string | undefined {
  return /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text)?.[1] ?? /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(text)?.[1];
}

function expression(body: string, vars: ReadonlyMap<string, string>): Interpolated {
  const name = NAME.exec(body)?.[0];
  if (!name) return { error: `"\${${body}}" does not start with a variable name` };
  const rest = body.slice(name.length);
  const value = vars.get(name);
  if (rest === '') return value === undefined ? { error: unsetMessage(name) } : { value };
  const match = /^(:?)([-?+])(.*)$/s.exec(rest);
  if (!match)
    return {
      error: `"\${${body}}" is not a supported form (use \${VAR}, \${VAR:-default} or \${VAR:?message})`,
    };
  const [, colon, op, arg = ''] = match;
  const unset = value === undefined || (colon === ':' && value === '');
  if (op === '-') return unset ? interpolate(arg, vars) : { value: value ?? '' };
  if (op === '+') return unset ? { value: '' } : interpolate(arg, vars);
  return unset
    ? { error: `variable ${name} is required: ${arg || 'it is not set'}` }
    : { value: value ?? '' };
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function unsetMessage(name: string): string {
  return `variable ${name} is not set — define it in the .env file beside the compose file or give a default (\${${name}:-value}); to read a secret from the engine's environment, make it a whole environment value: KEY: \${${name}}`;
}
