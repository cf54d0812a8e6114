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
  type Preview,
  WheelhouseError,
} from '../../core/index.js';
import { applyResource } from './apply.js';
import { KubeClient, loadKubeConfig } from './client.js';
import { Discovery } from './discovery.js';
import { InventoryStore } from './inventory.js';
import type { KubeObject } from './kube-object.js';
import { ANNOTATION, LABEL } from './labels.js';
import { LiveCache } from './live-cache.js';
import { followPodLogs, readPodLogs } from './logs.js';
import { kubernetesManifests } from './manifests.js';
import { entryHealth, liveObject, observeApp } from './observe.js';
import { type KubeOptions, parseKubeOptions } from './options.js';
import { previewApp } from './preview.js';
import { removeResource } from './remove.js';
import { type Runtime, saveInventory } from './runtime.js';

/** `kubernetes: createKubernetesDriver` — any Kubernetes cluster, through its API server. */
export function createKubernetesDriver(deps: DriverDeps): Driver {
  return new KubernetesDriver(deps, parseKubeOptions(deps.target, deps.options));
}

class KubernetesDriver implements Driver {
  readonly name = 'kubernetes';
  readonly kinds = [];
  readonly foreign = kubernetesManifests;
  private connecting: Promise<Runtime> | undefined;
  private runtime: Runtime | undefined;
  private readonly listeners = new Set<(event: DriverEvent) => void>();

  constructor(
    private readonly deps: DriverDeps,
    private readonly options: KubeOptions,
  ) {}

  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      this.deps.log.warn(
        { target: this.deps.target, err: errorMessage(err) },
        'kubernetes cluster unreachable; trying again on the next request',
      );
    }
  }

  async stop(): Promise<void> {
    const rt = this.runtime;
    this.runtime = undefined;
    this.connecting = undefined;
    rt?.cache.stop();
  }

  /** Connect once: read every inventory, then watch every kind they hold (lists first). */
  private connect(): Promise<Runtime> {
    this.connecting ??= this.open().then(
      (rt) => {
        this.runtime = rt;
        return rt;
      },
      (err: unknown) => {
        this.connecting = undefined;
        throw new WheelhouseError(
          'UNAVAILABLE',
          `kubernetes target "${this.deps.target}" cannot reach its cluster: ${errorMessage(err)}`,
          { cause: err, details: { target: this.deps.target } },
        );
      },
    );
    return this.connecting;
  }

  private async open(): Promise<Runtime> {
    const config = loadKubeConfig(this.deps.target, this.options, this.deps.env);
    const client = new KubeClient(config);
    const discovery = new Discovery(client);
    const rt: Runtime = {
      target: this.deps.target,
      options: this.options,
      env: this.deps.env,
      log: this.deps.log,
      client,
      discovery,
      cache: new LiveCache(
        client,
        discovery,
        this.deps.target,
        (b, a) => this.notice(rt, b, a),
        this.deps.log,
        (dependents, reason) => {
          for (const obj of dependents) this.noticeContext(rt, obj, reason);
        },
      ),
      inventory: new InventoryStore(client, this.deps.target, this.options.inventoryNamespace),
      entries: new Map(),
      busy: new Set(),
      appliedVersions: new Map(),
      missed: new Map(),
      syncing: new Set(),
      unsaved: new Set(),
    };
    rt.entries = await rt.inventory.loadAll();
    const kinds = new Map<string, { apiVersion: string; kind: string }>();
    for (const entries of rt.entries.values()) {
      for (const e of entries.values()) kinds.set(`${e.apiVersion}|${e.kind}`, e);
    }
    for (const { apiVersion, kind } of kinds.values()) {
      const mapping = await discovery.resolve(apiVersion, kind);
      if (mapping) await rt.cache.ensure(mapping);
    }
    this.deps.log.info({ target: this.deps.target, server: client.server }, 'kubernetes driver connected');
    return rt;
  }

  async observe(app: string): Promise<LiveResource[]> {
    return observeApp(await this.connect(), app);
  }

  async apply(resource: DesiredResource, ctx: ApplyContext): Promise<ApplyOutcome> {
    const rt = await this.connect();
    rt.busy.add(resource.key);
    try {
      return await applyResource(rt, resource, ctx);
    } finally {
      rt.busy.delete(resource.key);
      this.replayMissed(rt, resource.key);
    }
  }

  /** Inside a sync the inventory is written once, when it ends, not after every apply. */
  async beginSync(app: string): Promise<void> {
    (await this.connect()).syncing.add(app);
  }

  async endSync(app: string): Promise<void> {
    const rt = this.runtime;
    if (!rt) return;
    rt.syncing.delete(app);
    if (!rt.unsaved.has(app)) return;
    await saveInventory(rt, app); // on failure it stays unsaved, for the next sync to write
    rt.unsaved.delete(app);
  }

  async remove(resource: LiveResource, _ctx: ApplyContext): Promise<void> {
    const rt = await this.connect();
    rt.busy.add(resource.key);
    try {
      await removeResource(rt, resource);
    } finally {
      rt.busy.delete(resource.key);
      rt.missed.delete(resource.key);
    }
  }

  async health(app: string, key: string): Promise<Health> {
    const rt = await this.connect();
    const entry = rt.entries.get(app)?.get(key);
    if (!entry) return { status: 'Missing', message: `${key} has not been applied` };
    return entryHealth(rt, entry).health;
  }

  async *logs(app: string, key: string, options: LogOptions): AsyncIterable<LogLine> {
    const rt = await this.connect();
    const entry = rt.entries.get(app)?.get(key);
    const obj = entry ? liveObject(rt, entry) : undefined;
    if (!entry || !obj) {
      throw new WheelhouseError(
        'NOT_FOUND',
        `${key} does not exist on target ${this.deps.target}; sync the app first`,
        {
          details: { app, resource: key },
        },
      );
    }
    const pods = obj.kind === 'Pod' ? [obj] : rt.cache.descendants(obj).filter((o) => o.kind === 'Pod');
    if (pods.length === 0) {
      throw new WheelhouseError('NOT_FOUND', `${entry.kind} ${entry.name} has no Pods, so no logs`, {
        details: { app, resource: key },
      });
    }
    if (options.follow) {
      yield* followPodLogs(rt, pods, options.tail, options.signal);
      return;
    }
    yield* await readPodLogs(rt, pods, options.tail);
  }

  async preview(app: string, resources: readonly DesiredResource[]): Promise<Preview> {
    return previewApp(await this.connect(), app, resources);
  }

  watch(listener: (event: DriverEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A managed object changed without us: tell the engine at once (drift, health). */
  private notice(rt: Runtime, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const subject = after ?? before;
    const key = subject?.metadata.annotations?.[ANNOTATION.key];
    const app = subject?.metadata.labels?.[LABEL.app];
    if (!subject || !key || !app) return;
    const what = `${subject.kind} ${subject.metadata.namespace ? `${subject.metadata.namespace}/` : ''}${subject.metadata.name}`;
    const reason = !after ? `${what} was deleted` : !before ? `${what} appeared` : `${what} changed`;
    if (rt.busy.has(key)) {
      // Probably our own apply; judged when it ends (see replayMissed).
      rt.missed.set(key, { app, version: after?.metadata.resourceVersion ?? 'deleted', reason });
      return;
    }
    if (!rt.entries.get(app)?.has(key)) return;
    this.emit({ app, key, reason });
  }

  /** A managed object whose health reads a cluster object that changed: judged again now. */
  private noticeContext(rt: Runtime, obj: KubeObject, reason: string): void {
    const key = obj.metadata.annotations?.[ANNOTATION.key];
    const app = obj.metadata.labels?.[LABEL.app];
    if (!key || !app || rt.busy.has(key) || !rt.entries.get(app)?.has(key)) return;
    this.emit({ app, key, reason });
  }

  /** A change seen while a key was busy that is not what its apply left: someone else's. */
  private replayMissed(rt: Runtime, key: string): void {
    const missed = rt.missed.get(key);
    rt.missed.delete(key);
    if (!missed || missed.version === rt.appliedVersions.get(key)) return;
    if (rt.entries.get(missed.app)?.has(key)) this.emit({ app: missed.app, key, reason: missed.reason });
  }

  private emit(event: DriverEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.deps.log.warn({ err: errorMessage(err) }, 'kubernetes watch listener failed');
      }
    }
  }
}
