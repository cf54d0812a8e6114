import type Docker from 'dockerode';
import {
  type ApplyContext,
  type ApplyOutcome,
  type DesiredResource,
  type Driver,
  type DriverDeps,
  type DriverEvent,
  errorMessage,
  type Health,
  type LiveResource,
  type LogLine,
  type LogOptions,
  parseResourceKey,
  WheelhouseError,
} from '../../core/index.js';
import { backoffDelay } from '../../util/index.js';
import { createClient, dialLibpod, type EngineInfo, engineInfo } from './client.js';
import { applyContainer, removeContainers } from './container-apply.js';
import { judgeContainer } from './container-health.js';
import { listContainersOf, removeContainer, stopTimeoutOf } from './container-ops.js';
import type { ContainerState } from './container-state.js';
import { type EngineEvent, EngineEvents } from './engine-events.js';
import { HealthcheckPump } from './healthcheck-pump.js';
import { dockerKinds } from './kinds/index.js';
import { LABEL } from './labels.js';
import { LiveCache } from './live-cache.js';
import { containerLive, objectLive, tombstoneLive } from './live-resources.js';
import { followLogs, mergeByTime, readLogs } from './logs.js';
import { MountDigests, mountDir } from './mount-drift.js';
import { applyNetwork, removeNetwork } from './network-apply.js';
import { type DockerEndpoint, type DockerOptions, parseDockerOptions } from './options.js';
import { BusyTracker, type Runtime } from './runtime.js';
import { applyVolume, removeVolume } from './volume-apply.js';

const RESYNC_MS = 5 * 60_000;
const FAILING_LOG_LINES = 10;

/** `docker: createDockerDriver` — the Docker Engine API driver (Docker or Podman). */
export function createDockerDriver(deps: DriverDeps): Driver {
  const { options, endpoint } = parseDockerOptions(deps.target, deps.options, deps.env);
  return new DockerDriver(deps, options, endpoint);
}

interface Connection {
  rt: Runtime;
  events: EngineEvents;
  pump: HealthcheckPump | undefined;
  info: EngineInfo;
}

class DockerDriver implements Driver {
  readonly name = 'docker';
  readonly kinds = dockerKinds;
  private docker: Docker | undefined;
  private conn: Connection | undefined;
  private connected = false;
  private lastError: unknown;
  private retryTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private retries = 0;
  private stopped = true;
  private readonly listeners = new Set<(event: DriverEvent) => void>();
  private readonly refreshing = new Map<string, { again: boolean }>();
  private readonly tails = new Map<string, { signature: string; lines: string[] }>();
  private readonly busy = new BusyTracker();
  private readonly mounts = new MountDigests();

  constructor(
    private readonly deps: DriverDeps,
    private readonly options: DockerOptions,
    private readonly endpoint: DockerEndpoint,
  ) {}

  private get where(): string {
    return this.endpoint.kind === 'unix'
      ? `unix://${this.endpoint.socketPath}`
      : `tcp://${this.endpoint.host}:${this.endpoint.port}`;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.docker ??= await createClient(this.deps.target, this.endpoint);
    try {
      await this.connect(this.docker);
    } catch (err) {
      this.lastError = err;
      this.deps.log.warn(
        { target: this.deps.target, host: this.where, err: errorMessage(err) },
        'docker engine unreachable; retrying in the background',
      );
      this.scheduleRetry();
    }
    this.resyncTimer = setInterval(() => {
      if (this.connected) this.resync().catch((err: unknown) => this.noteLost(err));
    }, RESYNC_MS);
    this.resyncTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connected = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.retryTimer = undefined;
    this.resyncTimer = undefined;
    this.conn?.events.stop();
    this.conn?.pump?.stop();
    this.conn = undefined;
  }

  private async connect(docker: Docker): Promise<void> {
    const info = await engineInfo(docker);
    const wantPump =
      this.options.healthchecks === 'driver' || (this.options.healthchecks === 'auto' && info.podman);
    let pump: HealthcheckPump | undefined;
    let quiet = true;
    const cache = new LiveCache(docker, this.deps.target, (before, after) => {
      const id = (after ?? before)?.id;
      if (id) pump?.track(after, id);
      // The first full read only learns what exists; afterwards every change is judged.
      if (!quiet) this.notice(before, after);
    });
    const rt: Runtime = {
      docker,
      target: this.deps.target,
      options: this.options,
      env: this.deps.env,
      log: this.deps.log,
      stateDir: this.deps.stateDir,
      cache,
      busy: this.busy,
      mounts: this.mounts,
      refresh: (id) => cache.refreshContainer(id),
    };
    if (wantPump) {
      pump = new HealthcheckPump(async (id) => {
        await dialLibpod(docker, `/containers/${encodeURIComponent(id)}/healthcheck`);
        await cache.refreshContainer(id);
      });
    }
    const events = new EngineEvents({
      docker,
      filters: [
        { label: [`${LABEL.target}=${this.deps.target}`], type: ['container'] },
        { type: ['volume', 'network'] },
      ],
      onEvent: (event) => this.onEvent(event),
      onConnected: async () => {
        await this.resync();
        quiet = false;
        this.connected = true;
      },
      onLost: () => {
        this.connected = false;
      },
      log: this.deps.log,
    });
    this.conn = { rt, events, pump, info };
    await events.start();
    this.retries = 0;
    this.lastError = undefined;
    this.deps.log.info(
      {
        target: this.deps.target,
        host: this.where,
        engine: info.podman ? 'podman' : 'docker',
        version: info.version,
      },
      'docker driver connected',
    );
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retries += 1;
    const delay = backoffDelay(this.retries + 1, { baseMs: 1000, maxMs: 30_000, jitter: 0 });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopped || !this.docker) return;
      this.conn?.events.stop();
      this.connect(this.docker).catch((err: unknown) => {
        this.lastError = err;
        this.scheduleRetry();
      });
    }, delay);
    this.retryTimer.unref();
  }

  private noteLost(err: unknown): void {
    this.lastError = err;
    this.deps.log.warn({ target: this.deps.target, err: errorMessage(err) }, 'docker resync failed');
  }

  /** Re-read everything (container changes are judged by the cache's change hook). */
  private async resync(): Promise<void> {
    const cache = this.conn?.rt.cache;
    if (!cache) return;
    const knownVolumes = new Map(cache.volumes);
    const knownNetworks = new Map(cache.networks);
    await cache.resync();
    this.noticeObjects('Volume', knownVolumes, cache.volumes);
    this.noticeObjects('Network', knownNetworks, cache.networks);
  }

  /** Hand edits of a Container's mounted repository files (not while the driver writes them). */
  private mountDrift(rt: Runtime, app: string, key: string): string | undefined {
    const name = parseResourceKey(key)?.name;
    if (name === undefined || rt.busy.isBusy(key)) return undefined;
    try {
      return rt.mounts.check(mountDir(rt.stateDir, app, name));
    } catch (err) {
      return `mounted files cannot be checked (${errorMessage(err)})`;
    }
  }

  private requireRuntime(): Runtime {
    if (!this.conn || !this.connected) {
      const why = this.lastError ? `: ${errorMessage(this.lastError)}` : '';
      throw new WheelhouseError(
        'UNAVAILABLE',
        this.stopped
          ? `docker target "${this.deps.target}" is not started`
          : `docker target "${this.deps.target}" cannot reach the engine at ${this.where}${why}; check that Docker or Podman is running and the socket is reachable`,
        { details: { target: this.deps.target } },
      );
    }
    return this.conn.rt;
  }

  async observe(app: string): Promise<LiveResource[]> {
    const rt = this.requireRuntime();
    const now = Date.now();
    const byKey = new Map<string, ContainerState[]>();
    for (const c of rt.cache.containers.values()) {
      if (c.owned.app !== app) continue;
      byKey.set(c.owned.key, [...(byKey.get(c.owned.key) ?? []), c]);
    }
    await this.ensureTails(rt, [...byKey.values()].flat());
    const out: LiveResource[] = [];
    const tails = this.tailLines();
    for (const [key, containers] of byKey) {
      const live = containerLive(key, containers, now, rt.cache.stoppedByRequest, tails);
      const mounts = this.mountDrift(rt, app, key);
      if (mounts) live.drift = live.drift ? `${live.drift}; ${mounts}` : mounts;
      out.push(live);
    }
    for (const network of rt.cache.networks.values()) {
      if (network.owned.app === app) out.push(objectLive('Network', network));
    }
    for (const volume of rt.cache.volumes.values()) {
      if (volume.owned.app === app) out.push(objectLive('Volume', volume));
    }
    const present = new Set(out.map((r) => r.key));
    for (const stone of rt.cache.tombstones.values()) {
      if (stone.app === app && !present.has(stone.key)) out.push(tombstoneLive(stone));
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async apply(resource: DesiredResource, ctx: ApplyContext): Promise<ApplyOutcome> {
    const rt = this.requireRuntime();
    return this.busy.withKey(resource.key, async () => {
      switch (resource.kind) {
        case 'Container':
          return applyContainer(rt, resource, ctx);
        case 'Network':
          return applyNetwork(rt, resource, ctx);
        case 'Volume':
          return applyVolume(rt, resource, ctx);
        default:
          throw unknownKind(resource.kind, resource.key);
      }
    });
  }

  async remove(resource: LiveResource, _ctx: ApplyContext): Promise<void> {
    const rt = this.requireRuntime();
    await this.busy.withKey(resource.key, async () => {
      switch (resource.kind) {
        case 'Container':
          return removeContainers(rt, resource.key);
        case 'Network':
          return removeNetwork(rt, resource);
        case 'Volume':
          return removeVolume(rt, resource);
        default:
          throw unknownKind(resource.kind, resource.key);
      }
    });
  }

  async health(app: string, key: string): Promise<Health> {
    const rt = this.requireRuntime();
    const kind = parseResourceKey(key)?.kind;
    if (kind === 'Network' || kind === 'Volume') {
      if (kind === 'Network') await rt.cache.refreshNetworks();
      else await rt.cache.refreshVolumes();
      const objects = kind === 'Network' ? rt.cache.networks : rt.cache.volumes;
      const found = [...objects.values()].some((o) => o.owned.key === key && o.owned.app === app);
      return found
        ? { status: 'Healthy' }
        : { status: 'Missing', message: `${kind.toLowerCase()} of ${key} does not exist` };
    }
    const containers = (await listContainersOf(rt, key)).filter((c) => c.owned.app === app);
    if (containers.length === 0) {
      const stone = rt.cache.tombstones.get(key);
      return { status: 'Missing', message: stone?.reason ?? `no container of ${key} exists` };
    }
    await this.ensureTails(rt, containers);
    return containerLive(key, containers, Date.now(), rt.cache.stoppedByRequest, this.tailLines()).health;
  }

  async *logs(app: string, key: string, options: LogOptions): AsyncIterable<LogLine> {
    const rt = this.requireRuntime();
    if (parseResourceKey(key)?.kind !== 'Container') {
      throw new WheelhouseError('NOT_FOUND', `${key} has no logs: only Container resources do`, {
        details: { app, resource: key },
      });
    }
    const containers = (await listContainersOf(rt, key))
      .filter((c) => c.owned.app === app)
      .sort((a, b) => (a.owned.replica ?? 0) - (b.owned.replica ?? 0) || a.name.localeCompare(b.name));
    if (containers.length === 0) {
      throw new WheelhouseError(
        'NOT_FOUND',
        `${key} has no containers on target ${this.deps.target}; sync the app first`,
        {
          details: { app, resource: key },
        },
      );
    }
    const sources = containers.map((c) => ({ id: c.id, name: c.name }));
    if (options.follow) {
      yield* followLogs(rt.docker, sources, options.tail, options.signal);
      return;
    }
    const groups = await Promise.all(sources.map((s) => readLogs(rt.docker, s, options.tail)));
    yield* mergeByTime(groups).slice(-options.tail);
  }

  watch(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `wheelhouse down`: remove this target's containers; networks and volumes (data) stay. */
  async teardown(): Promise<void> {
    const rt = this.requireRuntime();
    await rt.cache.resync();
    for (const c of [...rt.cache.containers.values()]) {
      await this.busy.withKey(c.owned.key, () => removeContainer(rt, c, stopTimeoutOf(c)));
    }
  }

  // --- events -------------------------------------------------------------------------------

  private onEvent(event: EngineEvent): void {
    const conn = this.conn;
    if (!conn) return;
    if (event.type === 'volume' || event.type === 'network') {
      const cache = conn.rt.cache;
      const known = new Map(event.type === 'volume' ? cache.volumes : cache.networks);
      const refresh = event.type === 'volume' ? cache.refreshVolumes() : cache.refreshNetworks();
      refresh
        .then(() =>
          this.noticeObjects(
            event.type === 'volume' ? 'Volume' : 'Network',
            known,
            event.type === 'volume' ? cache.volumes : cache.networks,
          ),
        )
        .catch((err: unknown) => this.noteLost(err));
      return;
    }
    if (event.type !== 'container' || !event.id) return;
    const key = event.attributes[LABEL.resource];
    if ((event.action === 'stop' || event.action === 'kill') && !this.busy.isBusy(key, event.id)) {
      conn.rt.cache.stoppedByRequest.add(event.id);
    }
    if (event.action === 'start') conn.rt.cache.stoppedByRequest.delete(event.id);
    const exitCode = Number(event.attributes.exitCode ?? Number.NaN);
    if (event.action === 'die' && Number.isInteger(exitCode))
      conn.rt.cache.lastExitCodes.set(event.id, exitCode);
    this.queueRefresh(event.id);
  }

  /** One refresh per container at a time; events arriving meanwhile coalesce into one more. */
  private queueRefresh(id: string): void {
    const pending = this.refreshing.get(id);
    if (pending) {
      pending.again = true;
      return;
    }
    const entry = { again: false };
    this.refreshing.set(id, entry);
    const run = async (): Promise<void> => {
      do {
        entry.again = false;
        await this.conn?.rt.refresh(id);
      } while (entry.again);
    };
    run()
      .catch((err: unknown) => this.noteLost(err))
      .finally(() => this.refreshing.delete(id));
  }

  /** Report a container that got worse (died, stopped, removed, unhealthy, looping) without us. */
  private notice(before: ContainerState | undefined, after: ContainerState | undefined): void {
    const conn = this.conn;
    const subject = after ?? before;
    if (!conn || !subject) return;
    const { key, app } = subject.owned;
    if (this.busy.isBusy(key, subject.id)) return;
    const cache = conn.rt.cache;
    if (!after) {
      if (cache.containersOf(key).length === 0) {
        cache.tombstones.set(key, {
          app,
          key,
          spec: subject.owned.spec,
          reason: `container ${subject.name} was removed outside Wheelhouse`,
        });
      }
      this.emit({ app, key, reason: `container ${subject.name} was removed` });
      return;
    }
    if (before?.id === after.id && after.restartCount > before.restartCount) {
      // The engine's restart policy brought it back: for the app's activity, like a Process's.
      const code = after.lastExitCode ?? after.exitCode;
      this.emit({
        app,
        key,
        reason: `container ${after.name} restarted`,
        restart: {
          replica: after.name,
          after: `exited with code ${code}${after.oomKilled ? ' (killed: out of memory)' : ''}`,
          count: after.restartCount,
        },
      });
    }
    const now = Date.now();
    const bad = (c: ContainerState) =>
      judgeContainer(c, now).kind === 'failed' || (!c.running && cache.stoppedByRequest.has(c.id));
    if (bad(after) && !(before && bad(before))) {
      const verdict = judgeContainer(after, now);
      const reason =
        !after.running && cache.stoppedByRequest.has(after.id)
          ? `container ${after.name} was stopped`
          : (verdict.health.message ?? `container ${after.name} is ${after.status}`);
      this.emit({ app, key, reason });
    }
  }

  private noticeObjects(
    kind: 'Network' | 'Volume',
    before: ReadonlyMap<
      string,
      { owned: { key: string; app: string; spec: Record<string, unknown> | null } }
    >,
    after: ReadonlyMap<string, unknown>,
  ): void {
    const cache = this.conn?.rt.cache;
    if (!cache) return;
    for (const [name, object] of before) {
      if (after.has(name) || this.busy.isBusy(object.owned.key)) continue;
      const reason = `${kind.toLowerCase()} ${name} was removed outside Wheelhouse`;
      cache.tombstones.set(object.owned.key, {
        app: object.owned.app,
        key: object.owned.key,
        spec: object.owned.spec,
        reason,
      });
      this.emit({ app: object.owned.app, key: object.owned.key, reason });
    }
  }

  private emit(event: DriverEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.deps.log.warn({ err: errorMessage(err) }, 'docker watch listener failed');
      }
    }
  }

  // --- log tails for failing containers -------------------------------------------------------

  private async ensureTails(rt: Runtime, containers: readonly ContainerState[]): Promise<void> {
    const now = Date.now();
    await Promise.all(
      containers.map(async (c) => {
        if (judgeContainer(c, now).kind !== 'failed') return;
        const signature = `${c.startedAt}|${c.finishedAt}|${c.restartCount}|${c.health?.status ?? ''}|${c.status}`;
        if (this.tails.get(c.id)?.signature === signature) return;
        const lines = await readLogs(rt.docker, { id: c.id, name: c.name }, FAILING_LOG_LINES).catch(
          () => [],
        );
        this.tails.set(c.id, {
          signature,
          lines: lines.map((l) => `${l.stream === 'stderr' ? '!' : ' '} ${l.text}`),
        });
      }),
    );
    for (const id of this.tails.keys()) if (!rt.cache.containers.has(id)) this.tails.delete(id);
  }

  private tailLines(): Map<string, string[]> {
    return new Map([...this.tails].map(([id, entry]) => [id, entry.lines]));
  }
}

function unknownKind(kind: string, key: string): WheelhouseError {
  return new WheelhouseError(
    'MANIFEST_INVALID',
    `${key}: the docker driver serves Container, Network and Volume, not ${kind}; move it to an app whose target serves ${kind}`,
    { details: { resource: key } },
  );
}
