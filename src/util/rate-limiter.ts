import { LruCache } from './lru.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/**
 * The rate limiter: one token bucket per key (a client address, a chat channel), `capacity` at
 * once and one more every `refillMs`. Past `maxKeys` keys the least recently used is forgotten
 * (it starts full again), so a flood of addresses cannot grow memory.
 */
export interface RateLimiter {
  /** 0 when `key` may go now (a token was spent); otherwise the milliseconds until it may. */
  take(key: string): number;
}

export interface RateLimiterOptions {
  capacity: number;
  refillMs: number;
  /** Keys remembered at most; default 10,000. */
  maxKeys?: number;
  now?: () => number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const buckets = new LruCache<string, TokenBucket>(options.maxKeys ?? 10_000);
  return {
    take(key) {
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = createTokenBucket(options);
        buckets.set(key, bucket);
      }
      return bucket.take();
    },
  };
}
