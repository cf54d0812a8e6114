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

/**
 * One global expression matching any of the literal secret values (longest first, so a value
 * that contains another is matched whole); undefined when none is long enough to match.
 */
export function secretValuesRegExp(values: Iterable<string>): RegExp | undefined {
  const literals = [...new Set(values)]
    .filter((value) => value.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return literals.length > 0 ? new RegExp(literals.map(escapeRegExp).join('|'), 'g') : undefined;
}

/** A redactor that changes nothing. */
export const noRedaction: Redactor = (text) => text;

/**
 * Builds a redactor from patterns and literal values. An invalid pattern throws an Error naming
 * it (configuration validates `secretPatterns` at start, so this only fires on a programming slip).
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const mask = options.mask ?? REDACTED;
  const regexes: RegExp[] = [];
  const literals = secretValuesRegExp(options.values ?? []);
  if (literals) regexes.push(literals);
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
 * Key names whose values are secret whatever they look like. Everything under such a key is
 * secret too (`secretEnv: { X: "..." }`), except references to secrets (`fromEnv`, `fromFile`):
 * those hold names, not values.
 */
export const SENSITIVE_KEY =
  /(passw(or)?d|passphrase|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|bearer|cookie)/i;

const REFERENCE_KEYS = new Set(['fromEnv', 'fromFile', 'secretRef', 'secretKeyRef', 'valueFrom']);

export function isReferenceKey(key: string): boolean {
  return REFERENCE_KEYS.has(key);
}

export function isSensitiveKey(key: string): boolean {
  return !REFERENCE_KEYS.has(key) && SENSITIVE_KEY.test(key);
}

/**
 * Whether a value reached through `keys` (outermost first) is secret: some key on the way is
 * sensitive and no reference key comes after it.
 */
export function isSensitivePath(keys: readonly string[]): boolean {
  let sensitive = false;
  for (const key of keys) {
    if (REFERENCE_KEYS.has(key)) sensitive = false;
    else if (SENSITIVE_KEY.test(key)) sensitive = true;
  }
  return sensitive;
}

export interface RedactDeepOptions {
  /** Mask strings and numbers under sensitive keys; default true. */
  maskKeys?: boolean;
  mask?: string;
  /** The value itself sits under a sensitive key (see `isSensitivePath`); default false. */
  sensitive?: boolean;
}

/**
 * A deep copy of `value` with every string passed through `redact` and, unless `maskKeys` is
 * false, every string or number under a sensitive key replaced by the mask.
 */
export function redactDeep(value: unknown, redact: Redactor, options: RedactDeepOptions = {}): unknown {
  const maskKeys = options.maskKeys ?? true;
  const mask = options.mask ?? REDACTED;
  const walk = (node: unknown, sensitive: boolean): unknown => {
    if (typeof node === 'string') return sensitive ? mask : redact(node);
    if (typeof node === 'number' || typeof node === 'bigint') return sensitive ? mask : node;
    if (Array.isArray(node)) return node.map((child) => walk(child, sensitive));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const childSensitive = REFERENCE_KEYS.has(key)
          ? false
          : sensitive || (maskKeys && SENSITIVE_KEY.test(key));
        out[key] = walk(child, childSensitive);
      }
      return out;
    }
    return node;
  };
  return walk(value, maskKeys && (options.sensitive ?? false));
}
