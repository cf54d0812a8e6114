import { HEALTH_CODES, type Health, type HealthCode } from '../core/index.js';

/** Position of a code in `Healthy < Suspended < Progressing < Missing < Degraded < Unknown`. */
export function healthRank(code: HealthCode): number {
  return HEALTH_CODES.indexOf(code);
}

export function isHealthCode(value: unknown): value is HealthCode {
  return typeof value === 'string' && (HEALTH_CODES as readonly string[]).includes(value);
}

/** Negative when `a` is better than `b`, positive when worse, 0 when equal (for sorting). */
export function compareHealth(a: HealthCode, b: HealthCode): number {
  return healthRank(a) - healthRank(b);
}

/** The worse of two codes or healths; on a tie the first one wins (its message is kept). */
export function worse(a: HealthCode, b: HealthCode): HealthCode;
export function worse(a: Health, b: Health): Health;
export function worse(a: HealthCode | Health, b: HealthCode | Health): HealthCode | Health {
  const codeA = typeof a === 'string' ? a : a.status;
  const codeB = typeof b === 'string' ? b : b.status;
  return compareHealth(codeB, codeA) > 0 ? b : a;
}

/** The worst code of a list; `Healthy` for an empty list (nothing is wrong with nothing). */
export function worst(codes: Iterable<HealthCode>): HealthCode {
  let out: HealthCode = 'Healthy';
  for (const code of codes) out = worse(out, code);
  return out;
}
