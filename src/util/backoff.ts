/** Exponential backoff with jitter, for retries and requeues. */

export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  baseMs: number;
  /** Upper bound of any delay, ms. */
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
  /** Fraction of the delay randomized either way (0..1); default 0.2 (±20%). */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  baseMs: 1000,
  maxMs: 60_000,
  factor: 2,
  jitter: 0.2,
};

/**
 * Delay before retry number `attempt` (1 = first retry): `baseMs * factor^(attempt-1)`, capped
 * at `maxMs`, then spread by ±jitter (and capped again). Never negative.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_BACKOFF.jitter));
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const grown = options.baseMs > 0 ? options.baseMs * factor ** exponent : 0;
  const raw = Math.min(options.maxMs, grown);
  const spread = jitter > 0 ? raw * jitter * (random() * 2 - 1) : 0;
  return Math.max(0, Math.round(Math.min(options.maxMs, raw + spread)));
}
