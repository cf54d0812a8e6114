import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/util/index.js';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0.2 };

  it('grows exponentially and stops at the cap (no jitter at the midpoint)', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options, mid))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('spreads by at most the jitter fraction either way and never exceeds the cap', () => {
    expect(backoffDelay(2, options, () => 0)).toBe(160);
    expect(backoffDelay(2, options, () => 0.999999)).toBe(240);
    expect(backoffDelay(10, options, () => 0.999999)).toBe(1000);
    for (let i = 0; i < 50; i++) {
      const delay = backoffDelay(3, options);
      expect(delay).toBeGreaterThanOrEqual(320);
      expect(delay).toBeLessThanOrEqual(480);
    }
  });

  it('is exact without jitter, and stays a number for a zero base or a huge attempt', () => {
    const exact = { baseMs: 250, maxMs: 30_000, jitter: 0 };
    expect([1, 2, 3, 7, 8, 100].map((attempt) => backoffDelay(attempt, exact))).toEqual([
      250, 500, 1000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(5_000, { baseMs: 0, maxMs: 1000, jitter: 0 })).toBe(0);
    expect(backoffDelay(5_000, { baseMs: 10, maxMs: 1000, jitter: 0 })).toBe(1000);
  });
});
