import { createRateLimiter as createLimiter } from '../../util/index.js';

/**
 * Request limits per key (provider + client address, or a sign-in address) in HTTP's terms:
 * `burst` at once, refilled at `perMinute`, and the wait in whole seconds for `Retry-After`.
 * The limiting itself is util's rate limiter.
 */
export interface RequestLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number;
}

export interface RequestLimitOptions {
  perMinute: number;
  burst: number;
  /** Keys remembered at most (least recently used forgotten first). */
  maxKeys?: number;
  now?: () => number;
}

/** What a client is told to wait when no rate is configured (`perMinute: 0`). */
const NO_RATE_WAIT_SECONDS = 60;

export function createRequestLimiter(options: RequestLimitOptions): RequestLimiter {
  const limiter = createLimiter({
    capacity: options.burst,
    refillMs: 60_000 / options.perMinute,
    ...(options.maxKeys !== undefined ? { maxKeys: options.maxKeys } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    take(key) {
      const waitMs = limiter.take(key);
      if (waitMs === 0) return 0;
      return Number.isFinite(waitMs) ? Math.ceil(waitMs / 1000) : NO_RATE_WAIT_SECONDS;
    },
  };
}
