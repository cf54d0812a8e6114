import { configSecretNames } from '../config/index.js';
import type { ControlConfig } from '../core/index.js';
import { createRedactor, noRedaction, type Redactor, redactDeep } from '../util/index.js';

/** Deep-copies a JSON value with secrets masked. */
export interface RedactValue {
  <T>(value: T): T;
  /**
   * For values of a fixed schema with no secret-named keys (app status): masks secret values and
   * pattern matches in strings only, and returns the value itself when nothing is configured.
   */
  strings<T>(value: T): T;
  /**
   * The text redaction in force now: the same function until the secrets or patterns change, so
   * what was redacted can be cached against it (the event stream's frames).
   */
  redactor(): Redactor;
}

/**
 * The API's redaction: values of every env var a config names as a secret (`secretEnv`,
 * `passwordEnv`, ...), matches of `secretPatterns`, and values under secret-looking keys are
 * masked in everything the API and the event stream send. Rebuilt when the config changes.
 */
export function createConfigRedactor(
  config: () => ControlConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
  shared?: () => Redactor,
): RedactValue {
  let cachedFor: ControlConfig | undefined;
  let redactText: Redactor = noRedaction;
  const current = (): Redactor => {
    if (shared) return shared();
    const cfg = config();
    if (cfg !== cachedFor) {
      cachedFor = cfg;
      redactText = cfg
        ? createRedactor({
            values: configSecretNames(cfg)
              .map((name) => env[name])
              .filter((v): v is string => typeof v === 'string'),
            patterns: cfg.secretPatterns,
          })
        : noRedaction;
    }
    return redactText;
  };
  // Values under secret-looking keys (`password`, `token`, ...) are masked whatever they hold.
  const redact = <T>(value: T): T => redactDeep(value, current(), { maskKeys: true }) as T;
  return Object.assign(redact, {
    strings<T>(value: T): T {
      const text = current();
      return text === noRedaction ? value : (redactDeep(value, text, { maskKeys: false }) as T);
    },
    redactor: current,
  });
}
