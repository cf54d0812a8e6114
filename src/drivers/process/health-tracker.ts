import type { Health, HealthCode } from '../../core/index.js';
import { type ProbeContext, probe } from './health-probe.js';
import type { HealthSpec } from './kind-process.js';

export interface HealthTrackerOptions {
  /** The replica's check with `${WHEELHOUSE_REPLICA}` already expanded; none: "stays up" is healthy. */
  check: HealthSpec | undefined;
  probeContext: ProbeContext;
  /** Wall-clock ms when the process started. */
  startedAtMs: number;
  minUptimeMs: number;
  startupProbeIntervalMs: number;
  /** The driver's clock, in ms. */
  now(): number;
  /** Health known from before (a re-adopted replica that was Healthy stays Healthy). */
  initial?: HealthCode | undefined;
  onChange(health: Health): void;
}

/**
 * The health of one running replica. While starting it probes often and is Progressing; the first
 * passing check makes it Healthy. It is Degraded when it has not passed within `startupSeconds`
 * of its start, or, once healthy, after `failureThreshold` failures in a row.
 */
/** The shortest wait between two probes of a starting replica. */
const MIN_STARTUP_PROBE_MS = 10;

export class HealthTracker {
  private current: Health;
  /** What the last probe answered (`GET … → 200`, `connect … refused`), for the resource tree. */
  lastProbe: string | undefined;
  private everHealthy: boolean;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: HealthTrackerOptions) {
    this.everHealthy = options.initial === 'Healthy';
    this.current = this.everHealthy
      ? { status: 'Healthy' }
      : {
          status: 'Progressing',
          message: options.check
            ? 'starting: waiting for the first passing health check'
            : `starting: healthy once up for ${options.minUptimeMs / 1000}s`,
        };
  }

  get health(): Health {
    return this.current;
  }

  start(): void {
    const { check } = this.options;
    if (!check) {
      if (this.everHealthy) return;
      const wait = Math.max(0, this.options.startedAtMs + this.options.minUptimeMs - this.options.now());
      this.timer = setTimeout(() => this.set({ status: 'Healthy', message: 'running' }), wait);
      this.timer.unref();
      return;
    }
    void this.loop(check);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async loop(check: HealthSpec): Promise<void> {
    if (this.stopped) return;
    const result = await probe(check, this.options.probeContext);
    if (this.stopped) return;
    this.lastProbe = `${result.ok ? 'ok' : 'failed'}: ${result.message}`;
    if (result.ok) {
      this.failures = 0;
      this.everHealthy = true;
      this.set({ status: 'Healthy', message: result.message });
    } else {
      this.failures++;
      if (this.everHealthy) {
        if (this.failures >= check.failureThreshold) {
          this.set({
            status: 'Degraded',
            message: `health check failed ${this.failures} times in a row: ${result.message}`,
          });
        }
      } else {
        const graceMs = check.startupSeconds * 1000;
        const waited = this.options.now() - this.options.startedAtMs;
        this.set(
          waited >= graceMs
            ? {
                status: 'Degraded',
                message: `not healthy ${Math.round(waited / 1000)}s after start: ${result.message}`,
              }
            : { status: 'Progressing', message: `starting: ${result.message}` },
        );
      }
    }
    const starting = !this.everHealthy && this.current.status !== 'Degraded';
    const next = starting ? this.nextStartupDelay() : check.periodSeconds * 1000;
    this.timer = setTimeout(() => void this.loop(check), next);
    this.timer.unref();
  }

  /**
   * While starting, the next probe waits a quarter of the time since the start (10 ms at least,
   * `startupProbeIntervalMs` at most): a child that listens after 60 ms is seen healthy within
   * 15 ms of it rather than at the next 100 ms tick, which was most of a one-Process
   * commit -> applied, and a slow starter is still probed only every `startupProbeIntervalMs`.
   */
  private nextStartupDelay(): number {
    const since = this.options.now() - this.options.startedAtMs;
    return Math.min(
      this.options.startupProbeIntervalMs,
      Math.max(MIN_STARTUP_PROBE_MS, Math.round(since / 4)),
    );
  }

  private set(health: Health): void {
    if (this.stopped) return;
    const changed = health.status !== this.current.status;
    this.current = health;
    if (changed) this.options.onChange(health);
  }
}
