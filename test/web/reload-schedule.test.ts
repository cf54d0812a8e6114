import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReloadSchedule, LIVE_RELOAD } from '../../src/web/lib/reload-schedule.js';

// The clock is vitest's fake one: these tests count reloads for a given stream of events.
describe('createReloadSchedule (live events -> page reloads)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A reload that takes `ms` of (fake) time, counting how often it ran and how many ran at once. */
  function reloads(ms = 50) {
    const seen = { count: 0, running: 0, mostAtOnce: 0 };
    const run = async () => {
      seen.count++;
      seen.running++;
      seen.mostAtOnce = Math.max(seen.mostAtOnce, seen.running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      seen.running--;
    };
    return { seen, schedule: createReloadSchedule(run, LIVE_RELOAD, () => Date.now()) };
  }

  it('turns a burst of events into one reload', async () => {
    const { seen, schedule } = reloads();
    for (let i = 0; i < 100; i++) schedule.ask();
    await vi.advanceTimersByTimeAsync(LIVE_RELOAD.quietMs);
    expect(seen.count).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen.count).toBe(1);
  });

  it('still reloads during a steady stream of events, about once per gap, never two at once', async () => {
    const { seen, schedule } = reloads(1_500); // slower than the gap: the next one waits for it
    for (let t = 0; t < 10_000; t += 50) {
      schedule.ask();
      await vi.advanceTimersByTimeAsync(50);
    }
    // Was 0 reloads until the stream ended (each event pushed the one reload back by 200 ms).
    expect(seen.count).toBeGreaterThanOrEqual(5);
    expect(seen.count).toBeLessThanOrEqual(10_000 / LIVE_RELOAD.minGapMs);
    expect(seen.mostAtOnce).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen.running).toBe(0);
  });

  it('does not reload once per event when events come a few hundred milliseconds apart', async () => {
    const { seen, schedule } = reloads();
    for (let i = 0; i < 20; i++) {
      schedule.ask();
      await vi.advanceTimersByTimeAsync(300);
    }
    // 20 events over 6 s: was 20 reloads (each event, 300 ms apart, outlived the 200 ms pause).
    expect(seen.count).toBeLessThanOrEqual(6 * (1_000 / LIVE_RELOAD.minGapMs) + 1);
    expect(seen.count).toBeGreaterThanOrEqual(3);
  });

  it('drops a waiting reload when cancelled', async () => {
    const { seen, schedule } = reloads();
    schedule.ask();
    schedule.cancel();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen.count).toBe(0);
  });

  it('keeps going after a reload fails', async () => {
    let calls = 0;
    const schedule = createReloadSchedule(async () => {
      calls++;
      throw new Error('the server answered 500');
    });
    schedule.ask();
    await vi.advanceTimersByTimeAsync(LIVE_RELOAD.quietMs);
    schedule.ask();
    await vi.advanceTimersByTimeAsync(LIVE_RELOAD.minGapMs + LIVE_RELOAD.quietMs);
    expect(calls).toBe(2);
  });
});
