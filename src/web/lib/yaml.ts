/** A tiny YAML emitter for showing JSON values (desired and live specs) the way manifests look. Pure. */

const PLAIN = /^[\w/.][\w./@+-]*(?: [\w./@+-]+)*$/;
/** Words YAML (1.1 or 1.2) reads as booleans, null or numbers. */
const RESERVED =
  /^(?:true|false|yes|no|y|n|on|off|null|~|[-+]?\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|0x[0-9a-f_]+|0o[0-7_]+|[-+]?\.inf|\.nan)$/i;

/** A scalar as YAML writes it: plain where unambiguous, else double-quoted (JSON escapes are valid YAML). */
export function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  const text = String(value);
  if (text === '***') return text;
  if (PLAIN.test(text) && !RESERVED.test(text) && !text.includes(': ') && !text.includes(' #')) return text;
  return JSON.stringify(text);
}

/** A mapping key: plain, or quoted when it would read as something else. */
export function yamlKey(key: string): string {
  return /^[A-Za-z_$][\w$./-]*$/.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The lines of `key: value` at an indentation. Objects and arrays nest (two spaces), multi-line
 * strings become block scalars (`|`), empty ones `{}` / `[]`.
 */
export function yamlEntry(key: string, value: unknown, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  if (typeof value === 'string' && value.includes('\n')) {
    const body = value.endsWith('\n') ? value.slice(0, -1) : value;
    const chomp = value.endsWith('\n') ? '' : '-';
    return [`${pad}${key}: |${chomp}`, ...body.split('\n').map((l) => (l === '' ? '' : `${pad}  ${l}`))];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}${key}: []`];
    return [`${pad}${key}:`, ...yamlValue(value, indent + 2)];
  }
  if (isObject(value)) {
    if (Object.keys(value).length === 0) return [`${pad}${key}: {}`];
    return [`${pad}${key}:`, ...yamlValue(value, indent + 2)];
  }
  return [`${pad}${key}: ${yamlScalar(value)}`];
}

/** The lines of a value on its own (a document, or the body under a key). */
export function yamlValue(value: unknown, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    const out: string[] = [];
    for (const item of value) {
      if (isObject(item) && Object.keys(item).length > 0) {
        const [first, ...rest] = yamlValue(item, indent + 2);
        out.push(`${pad}- ${(first ?? '').trimStart()}`, ...rest);
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${pad}-`, ...yamlValue(item, indent + 2));
      } else if (typeof item === 'string' && item.includes('\n')) {
        out.push(`${pad}- ${JSON.stringify(item)}`);
      } else {
        out.push(`${pad}- ${isObject(item) ? '{}' : Array.isArray(item) ? '[]' : yamlScalar(item)}`);
      }
    }
    return out;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([k, v]) => yamlEntry(yamlKey(k), v, indent));
  }
  if (typeof value === 'string' && value.includes('\n')) return yamlEntry('', value, indent).slice(1);
  return [`${pad}${yamlScalar(value)}`];
}
