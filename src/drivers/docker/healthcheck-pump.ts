import type { ContainerState } from './container-state.js';

/**
 * Runs container healthchecks on their interval for engines that do not run them by themselves
 * (Podman schedules them with systemd timers, which a host without systemd lacks). Each run is a
 * libpod `healthcheck` call; the caller re-reads the container afterwards.
 */
export class HealthcheckPump {
  private readonly timers = new Map<
    string,
    { timer: NodeJS.Timeout; intervalMs: number; startedAt: string }
  >();
  private stopped = false;

  constructor(private readonly run: (containerId: string) => Promise<void>) {}

  /** Schedule, keep or cancel the container's checks to match its state. */
  track(state: ContainerState | undefined, id: string): void {
    const current = this.timers.get(id);
    const wanted = !this.stopped && state?.running === true && state.healthcheckIntervalMs !== undefined;
    if (!wanted || !state || state.healthcheckIntervalMs === undefined) {
      if (current) clearTimeout(current.timer);
      this.timers.delete(id);
      return;
    }
    if (
      current &&
      current.intervalMs === state.healthcheckIntervalMs &&
      current.startedAt === state.startedAt
    )
      return;
    if (current) clearTimeout(current.timer);
    this.schedule(id, state.healthcheckIntervalMs, state.startedAt);
  }

  stop(): void {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(id: string, intervalMs: number, startedAt: string): void {
    const timer = setTimeout(() => {
      this.run(id)
        .catch(() => undefined)
        .finally(() => {
          const entry = this.timers.get(id);
          if (!this.stopped && entry?.timer === timer) this.schedule(id, intervalMs, startedAt);
        });
    }, intervalMs);
    timer.unref();
    this.timers.set(id, { timer, intervalMs, startedAt });
  }
}
