/**
 * Redaction of secrets from text shown to people (chat, logs, the API, diffs). Two mechanisms:
 * patterns and known secret values matched anywhere in a text, and key names that mark a value
 * as sensitive (`DB_PASSWORD`, `apiKey`) whatever the value looks like.
 */

/** What replaces a redacted value. */
export const REDACTED = '***';

/** Turns a text into the same text with every secret replaced by the mask. */
export type Redactor = (text: string) => string;

export interface RedactorOptions {
  /**
   * Regular expressions (source strings, as in `secretPatterns` of wheelhouse.yaml, or RegExp
   * objects) whose matches are replaced. Matched globally; flags of a RegExp are kept.
   */
  patterns?: readonly (string | RegExp)[];
  /**
   * Literal secret values (e.g. resolved `secretEnv` values). Values shorter than
   * `MIN_SECRET_LENGTH` are ignored: masking them would shred ordinary text.
   */
  values?: readonly string[];
  mask?: string;
}

export const MIN_SECRET_LENGTH = 4;

/** A redactor that changes nothing. */
export const noRedaction: Redactor = (text) => text;

/**
 * Builds a redactor from patterns and literal values. An invalid pattern throws an Error naming
 * it (configuration validates `secretPatterns` at start, so this only fires on a programming slip).
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const mask = options.mask ?? REDACTED;
  const regexes: RegExp[] = [];
  const literals = [...new Set(options.values ?? [])]
    .filter((value) => value.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (literals.length > 0) regexes.push(new RegExp(literals.map(escapeRegExp).join('|'), 'g'));
  for (const pattern of options.patterns ?? []) regexes.push(compile(pattern));
  if (regexes.length === 0) return noRedaction;
  return (text) => {
    let out = text;
    for (const regex of regexes) {
      regex.lastIndex = 0;
      // A pattern that can match the empty string must not sprinkle masks between characters.
      out = out.replace(regex, (match) => (match === '' ? match : mask));
    }
    return out;
  };
}

function compile(pattern: string | RegExp): RegExp {
  if (typeof pattern !== 'string') {
    return new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  }
  try {
    return new RegExp(pattern, 'g');
  } catch (err) {
    throw new Error(
      `secret pattern ${JSON.stringify(pattern)} is not a valid regular expression; fix it in secretPatterns`,
      { cause: err },
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Key names whose values are secret whatever they look like. References to secrets (`fromEnv`,
 * `fromFile`) are names, not values, and are not matched.
 */
export const SENSITIVE_KEY =
  /(passw(or)?d|passphrase|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|bearer|cookie)/i;

const REFERENCE_KEYS = new Set(['fromEnv', 'fromFile', 'secretRef', 'secretKeyRef', 'valueFrom']);

export function isSensitiveKey(key: string): boolean {
  return !REFERENCE_KEYS.has(key) && SENSITIVE_KEY.test(key);
}

/**
 * A deep copy of `value` with every string passed through `redact` and, unless `maskKeys` is
 * false, every value under a sensitive key (see `isSensitiveKey`) replaced by the mask.
 */
export function redactDeep(
  value: unknown,
  redact: Redactor,
  options: { maskKeys?: boolean; mask?: string } = {},
): unknown {
  const maskKeys = options.maskKeys ?? true;
  const mask = options.mask ?? REDACTED;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return redact(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        out[key] = maskKeys && isSensitiveKey(key) && isSecretBearing(child) ? mask : walk(child);
      }
      return out;
    }
    return node;
  };
  return walk(value);
}

/** A reference object (`{ fromEnv: X }`) under a sensitive key carries no secret and stays visible. */
function isSecretBearing(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== 'object' || Array.isArray(value)) return true;
  return !Object.keys(value).every((key) => REFERENCE_KEYS.has(key));
}
