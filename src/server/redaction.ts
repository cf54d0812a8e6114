import type { ControlConfig } from '../core/index.js';

/** Deep-copies a JSON value with secrets masked. */
export type RedactValue = <T>(value: T) => T;

const MASK = '***';
const SECRET_REF_KEY = /^(secretEnv|passwordEnv|tokenEnv|[A-Za-z]+(Secret|Token|Password)Env)$/;

/**
 * The API's redaction: values of every env var a config names as a secret (`secretEnv`,
 * `passwordEnv`, ...) and matches of `secretPatterns` are masked in everything the API and the
 * event stream send. Rebuilt when the config changes.
 */
export function createConfigRedactor(
  config: () => ControlConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
): RedactValue {
  let cachedFor: ControlConfig | undefined;
  let redactText: (text: string) => string = (text) => text;
  const current = (): ((text: string) => string) => {
    const cfg = config();
    if (cfg !== cachedFor) {
      cachedFor = cfg;
      redactText = cfg ? textRedactor(secretValues(cfg, env), cfg.secretPatterns) : (text) => text;
    }
    return redactText;
  };
  return <T>(value: T): T => walk(value, current()) as T;
}

function walk(node: unknown, redact: (text: string) => string): unknown {
  if (typeof node === 'string') return redact(node);
  if (Array.isArray(node)) return node.map((item) => walk(item, redact));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) out[key] = walk(child, redact);
    return out;
  }
  return node;
}

/** Values of the env vars the config names as secrets (anywhere in the config). */
export function secretValues(
  config: ControlConfig,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (typeof child === 'string' && SECRET_REF_KEY.test(key)) names.add(child);
        else visit(child);
      }
    }
  };
  visit(config);
  return [...names]
    .map((name) => env[name])
    .filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

function textRedactor(values: readonly string[], patterns: readonly string[]): (text: string) => string {
  const regexes: RegExp[] = [];
  const literals = [...new Set(values)].sort((a, b) => b.length - a.length);
  if (literals.length > 0) regexes.push(new RegExp(literals.map(escapeRegExp).join('|'), 'g'));
  for (const pattern of patterns) {
    try {
      regexes.push(new RegExp(pattern, 'g'));
    } catch {
      // config validation refuses invalid patterns; an invalid one here is skipped, not fatal
    }
  }
  if (regexes.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const regex of regexes) out = out.replace(regex, (match) => (match === '' ? match : MASK));
    return out;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
