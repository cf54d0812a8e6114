import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Health } from '../../../src/core/index.js';
import { HealthTracker } from '../../../src/drivers/process/health-tracker.js';
import type { HealthSpec } from '../../../src/drivers/process/kind-process.js';
import { freePort } from '../../support/ports.js';
import { waitFor } from '../../support/wait-for.js';

/*
 * A starting replica is probed again after a quarter of the time since its start (10 ms at least,
 * `startupProbeIntervalMs` at most), so a child that listens after 60 ms is not left waiting for
 * the next 100 ms tick; once healthy it is probed every periodSeconds. The probes are real (a TCP
 * port nobody listens on, then one that listens); the tracker's clock is the test's.
 */
const PROBE_TIMEOUT_MS = 7_000; // told apart from the tracker's own waits below

afterEach(() => {
  vi.restoreAllMocks();
});

function tcpCheck(port: number): HealthSpec {
  return {
    tcp: { host: '127.0.0.1', port: String(port) },
    periodSeconds: 30,
    timeoutSeconds: PROBE_TIMEOUT_MS / 1000,
    failureThreshold: 3,
    startupSeconds: 600,
  } as HealthSpec;
}

describe('startup probes of a process replica', () => {
  it('wait a quarter of the time since start, from 10 ms up to startupProbeIntervalMs, then periodSeconds', async () => {
    const port = await freePort();
    // The tracker's waits are held here and run by the test, so each probe sees the clock it sets.
    const held: { ms: number; run: () => void }[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      if (ms === PROBE_TIMEOUT_MS) return realSetTimeout(fn, ms);
      held.push({ ms: ms ?? 0, run: fn });
      return realSetTimeout(() => undefined, 0);
    }) as typeof setTimeout);
    let elapsed = 40;
    const changes: Health[] = [];
    const tracker = new HealthTracker({
      check: tcpCheck(port),
      probeContext: { cwd: '/', env: {} },
      startedAtMs: 1_000_000,
      minUptimeMs: 1000,
      startupProbeIntervalMs: 100,
      now: () => 1_000_000 + elapsed,
      onChange: (health) => changes.push(health),
    });
    const next = async (): Promise<number> => {
      const count = held.length;
      held[count - 1]?.run();
      await waitFor('the next probe scheduled', () => held.length > count);
      return held[held.length - 1]?.ms ?? -1;
    };
    try {
      tracker.start();
      await waitFor('the first re-probe scheduled', () => held.length === 1);
      expect(held[0]?.ms).toBe(10); // 40 ms after start: a quarter is 10
      elapsed = 200;
      expect(await next()).toBe(50);
      elapsed = 5_000;
      expect(await next()).toBe(100); // never longer than startupProbeIntervalMs
      expect(tracker.health.status).toBe('Progressing');

      // It listens now: healthy at the next probe, then probed every periodSeconds.
      const server = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      try {
        expect(await next()).toBe(30_000);
        expect(tracker.health.status).toBe('Healthy');
        expect(changes.map((c) => c.status)).toEqual(['Healthy']);
      } finally {
        server.close();
      }
    } finally {
      tracker.stop();
    }
  });
});
