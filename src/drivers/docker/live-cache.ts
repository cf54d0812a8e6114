import type Docker from 'dockerode';
import { engineMessage, isNotFound } from './client.js';
import { type ContainerState, containerStateFromInspect, withRunningSince } from './container-state.js';
import { LABEL, type OwnedLabels, readOwnedLabels } from './labels.js';

export interface OwnedObject {
  /** The engine's name for it (`<namespace>_<name>`). */
  name: string;
  owned: OwnedLabels;
}

/** A resource whose objects all disappeared without the driver removing them. */
export interface Tombstone {
  app: string;
  key: string;
  spec: Record<string, unknown> | null;
  reason: string;
}

/**
 * The driver's view of its target: every container, network and volume carrying its target label,
 * refreshed in full at start (and after the event stream reconnects) and per object on events, so
 * `observe` reads memory only.
 */
export type ContainerChange = (before: ContainerState | undefined, after: ContainerState | undefined) => void;

export class LiveCache {
  private readonly byId = new Map<string, ContainerState>();
  readonly networks = new Map<string, OwnedObject>();
  readonly volumes = new Map<string, OwnedObject>();
  readonly tombstones = new Map<string, Tombstone>();
  /** Containers seen stopped or killed through the API (by hand): their exit is drift, not completion. */
  readonly stoppedByRequest = new Set<string>();
  /**
   * Container id → exit code of its last ended run, from `die` events (an inspect during a restart
   * can read 0: the engine resets it).
   */
  readonly lastExitCodes = new Map<string, number>();

  constructor(
    private readonly docker: Docker,
    private readonly target: string,
    /** Told about every container that appears, changes or goes (health, drift, watch events). */
    private readonly onChange: ContainerChange = () => {},
  ) {}

  get containers(): ReadonlyMap<string, ContainerState> {
    return this.byId;
  }

  private get filters(): { label: string[] } {
    return { label: [`${LABEL.target}=${this.target}`] };
  }

  async resync(): Promise<void> {
    const summaries = await this.docker.listContainers({ all: true, filters: this.filters });
    const fresh = new Map<string, ContainerState>();
    await inBatches(summaries, 8, async (summary) => {
      const state = await this.inspect(summary.Id);
      if (state) fresh.set(state.id, state);
    });
    for (const id of [...this.byId.keys()]) if (!fresh.has(id)) this.forget(id);
    for (const state of fresh.values()) this.store(state);
    await Promise.all([this.refreshNetworks(), this.refreshVolumes()]);
  }

  /** Re-read one container; returns its new state (undefined when it is gone). */
  async refreshContainer(id: string): Promise<ContainerState | undefined> {
    const state = await this.inspectWithRetry(id);
    if (state) this.store(state);
    else this.forget(id);
    return state;
  }

  /** Drop a container known to be gone. */
  forget(id: string): void {
    const before = this.byId.get(id);
    if (!before) return;
    this.byId.delete(id);
    this.stoppedByRequest.delete(id);
    this.lastExitCodes.delete(id);
    this.onChange(before, undefined);
  }

  private store(fresh: ContainerState): void {
    const before = this.byId.get(fresh.id);
    const lastExitCode = this.lastExitCodes.get(fresh.id);
    const state = withRunningSince(
      lastExitCode === undefined ? fresh : { ...fresh, lastExitCode },
      before,
      Date.now(),
    );
    this.byId.set(state.id, state);
    this.onChange(before, state);
  }

  async refreshNetworks(): Promise<void> {
    const list = await this.docker.listNetworks({ filters: this.filters });
    this.networks.clear();
    for (const network of list) {
      const owned = readOwnedLabels(network.Labels);
      if (owned) this.networks.set(network.Name, { name: network.Name, owned });
    }
  }

  async refreshVolumes(): Promise<void> {
    const list = await this.docker.listVolumes({ filters: this.filters });
    this.volumes.clear();
    for (const volume of list.Volumes ?? []) {
      const owned = readOwnedLabels(volume.Labels);
      if (owned) this.volumes.set(volume.Name, { name: volume.Name, owned });
    }
  }

  containersOf(key: string): ContainerState[] {
    return [...this.byId.values()].filter((c) => c.owned.key === key);
  }

  private async inspect(id: string): Promise<ContainerState | undefined> {
    try {
      const info = await this.docker.getContainer(id).inspect({ abortSignal: AbortSignal.timeout(30_000) });
      if (info.Config?.Labels?.[LABEL.target] !== this.target) return undefined;
      return containerStateFromInspect(info);
    } catch (err) {
      // Podman answers 500 "no such container" for one being removed at that moment.
      if (isNotFound(err) || /no such container/i.test(engineMessage(err))) return undefined;
      throw err;
    }
  }

  /** A container changing state can fail an inspect for a moment: try again before giving up. */
  private async inspectWithRetry(id: string): Promise<ContainerState | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inspect(id);
      } catch (err) {
        if (attempt >= 3) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(work));
  }
}
