import type Docker from 'dockerode';
import type { Logger } from '../../core/index.js';
import type { ContainerState } from './container-state.js';
import type { LiveCache } from './live-cache.js';
import type { MountDigests } from './mount-drift.js';
import type { DockerOptions } from './options.js';

/**
 * Remembers what the driver itself is changing, so the engine's events about it are not reported
 * as drift: resource keys under an apply/remove, and container ids it stopped or removed.
 */
export class BusyTracker {
  private readonly keys = new Map<string, number>();
  private readonly ids = new Set<string>();

  async withKey<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.keys.set(key, (this.keys.get(key) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.keys.get(key) ?? 1) - 1;
      if (left > 0) this.keys.set(key, left);
      else this.keys.delete(key);
    }
  }

  /** Note a container the driver stops or removes (kept for the last 1,000). */
  markOurs(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > 1000) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  isBusy(key: string | undefined, id?: string): boolean {
    return (key !== undefined && this.keys.has(key)) || (id !== undefined && this.ids.has(id));
  }
}

/** What the per-kind operations share. */
export interface Runtime {
  docker: Docker;
  target: string;
  options: DockerOptions;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  /** The target's own directory (files it mounts from the repository live there). */
  stateDir: string;
  cache: LiveCache;
  busy: BusyTracker;
  /** What was written for `./` mounts, to tell a hand edit (mount-drift.ts). */
  mounts: MountDigests;
  /** Re-read one container into the cache (and its healthcheck schedule). */
  refresh(id: string): Promise<ContainerState | undefined>;
}
