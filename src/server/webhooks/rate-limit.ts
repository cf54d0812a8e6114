/** Token buckets per key (provider + client address): `burst` at once, refilled at `perMinute`. */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number;
}

export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  /** Keys remembered at most (oldest forgotten first). */
  maxKeys?: number;
  now?: () => number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: t };
      buckets.delete(key); // re-insert: the map's order is the recency order
      bucket.tokens = Math.min(options.burst, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      let wait = 0;
      if (bucket.tokens >= 1) bucket.tokens -= 1;
      else wait = perMs > 0 ? Math.ceil((1 - bucket.tokens) / perMs / 1000) : 60;
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      return wait;
    },
  };
}
