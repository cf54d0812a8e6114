/**
 * A token bucket for flood control: up to `capacity` sends at once, then one more every
 * `refillMs`. `take()` either spends a token (returns 0) or says how long to wait for one.
 */
export interface TokenBucket {
  /** 0 when a token was taken; otherwise the milliseconds until one is available (nothing taken). */
  take(): number;
  /** Tokens available now (for tests and metrics). */
  available(): number;
}

export function createTokenBucket(options: {
  capacity: number;
  refillMs: number;
  now?: () => number;
}): TokenBucket {
  const now = options.now ?? Date.now;
  const capacity = Math.max(1, Math.floor(options.capacity));
  const refillMs = Math.max(1, options.refillMs);
  let tokens = capacity;
  let last = now();
  const refill = () => {
    const t = now();
    const gained = (t - last) / refillMs;
    if (gained > 0) {
      tokens = Math.min(capacity, tokens + gained);
      last = t;
    }
  };
  return {
    take() {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - tokens) * refillMs));
    },
    available() {
      refill();
      return Math.floor(tokens);
    },
  };
}
