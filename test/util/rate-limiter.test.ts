import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/util/index.js';

describe('createRateLimiter', () => {
  it('gives each key its own bucket: capacity at once, then one per refill, and says how long to wait', () => {
    let t = 0;
    const limiter = createRateLimiter({ capacity: 2, refillMs: 1000, now: () => t });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 1000]);
    expect(limiter.take('b')).toBe(0);
    t = 250;
    expect(limiter.take('a')).toBe(750);
    t = 1000;
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 1000]);
  });

  it('forgets the least recently used key past maxKeys (it starts full again)', () => {
    const limiter = createRateLimiter({ capacity: 1, refillMs: 60_000, maxKeys: 2, now: () => 0 });
    expect([limiter.take('a'), limiter.take('b'), limiter.take('a')]).toEqual([0, 0, 60_000]);
    expect(limiter.take('c')).toBe(0); // b was used least recently: forgotten
    expect(limiter.take('b')).toBe(0);
    expect(limiter.take('c')).toBe(60_000);
  });
});
