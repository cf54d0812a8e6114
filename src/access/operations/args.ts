import { WheelhouseError } from '../../core/index.js';

type Args = Readonly<Record<string, unknown>>;

/** A required text argument (requests are plain data: from chat, the API, or a stored approval). */
export function text(args: Args, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new WheelhouseError('BAD_REQUEST', `the request needs ${name} (a non-empty text)`, {
      details: { path: name },
    });
  }
  return value.trim();
}

export function optionalText(args: Args, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  return text(args, name);
}

export function whole(args: Args, name: string, min: number, max: number): number {
  const value = args[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new WheelhouseError('BAD_REQUEST', `${name} must be a whole number from ${min} to ${max}`, {
      details: { path: name },
    });
  }
  return value;
}

/** `{ KEY: "value" }` with environment-variable names as keys. */
export function envMap(args: Args, name: string): Record<string, string> {
  const value = args[name];
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
    throw new WheelhouseError('BAD_REQUEST', `${name} must map at least one variable name to a value`, {
      details: { path: name },
    });
  }
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || typeof raw !== 'string') {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `${name}.${key}: names are letters, digits and _, values are text`,
        {
          details: { path: `${name}.${key}` },
        },
      );
    }
    const control = firstControlCharacter(raw);
    if (control !== undefined) {
      throw new WheelhouseError(
        'BAD_REQUEST',
        `${name}.${key}: the value contains a control character (${control.name} at position ${control.at + 1}); ` +
          'values are one line of printable text. Put multi-line or binary content in a File resource instead',
        { details: { path: `${name}.${key}` } },
      );
    }
    out[key] = raw;
  }
  return out;
}

/**
 * Line breaks and other control characters (C0, DEL, C1, U+2028/2029): in a value they would
 * start new lines in the commit message (forged `Wheelhouse-Approved-By:` trailers) and in YAML.
 */
export function firstControlCharacter(value: string): { name: string; at: number } | undefined {
  const named: Record<number, string> = { 0: 'NUL', 9: 'tab', 10: 'line feed', 13: 'carriage return' };
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    if (!control) continue;
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const name = named[code];
    return { name: name ? `${hex} ${name}` : hex, at };
  }
  return undefined;
}

export const appArg = (args: Args): string | undefined =>
  typeof args.app === 'string' ? args.app : undefined;
