import {
  type AppSpec,
  type AppStatus,
  type ControlConfig,
  type Driver,
  type DriverEvent,
  type Engine,
  errorMessage,
  formatIssue,
  type KindRegistry,
  type Logger,
  type RepoAuth,
  type RepoRef,
  type ResourceChange,
  type SourceProvider,
  type Store,
  type SyncRecord,
  type TargetSpec,
  type ValidationIssue,
  WheelhouseError,
} from '../core/index.js';
import { diffResources, formatDiff, redactChanges } from '../diff/index.js';
import { normalizeRepoUrl } from '../source/git/index.js';
import { closestMatches, createRedactor, noRedaction, type Redactor, shortSha } from '../util/index.js';
import { createAppQueue, type OperationRequest } from './app-queue.js';
import type { EngineContext } from './context.js';
import { type ControlLoad, loadControlConfig } from './control.js';
import { ABSENT_DIGEST, declaredFrom, digestPaths, renderTarget } from './desired.js';
import { evaluateApp, noteOutcome } from './evaluate.js';
import { createEventBus } from './event-bus.js';
import { newId } from './ids.js';
import { refreshLive } from './observe.js';
import { createRenderCache } from './render-cache.js';
import type { AppRuntime, RenderedRevision } from './runtime.js';
import { createTicker, type Ticker } from './scheduler.js';
import { createSemaphore, forEachLimited } from './semaphore.js';
import { appProblemError, appStatus } from './status.js';
import { runSyncOperation } from './sync-operation.js';

export interface EngineDeps {
  store: Store;
  source: SourceProvider;
  kinds: KindRegistry;
  /** Registered driver names (for validating `targets`). */
  drivers: readonly string[];
  createDriver(target: TargetSpec): Driver;
  log: Logger;
  /** The repository holding `wheelhouse.yaml`, and the ref the engine follows. */
  controlRepo: { url: string; ref: string; auth?: RepoAuth };
}

export interface EngineOptions {
  /** Operations running at once across all apps. Default 8. */
  concurrency?: number;
  /** How often the control repo is polled when no app asks for less. Default 30s. */
  controlIntervalMs?: number;
  /** First backoff after a failed automatic sync (doubles, max 10 min). Default 10s. */
  retryBaseMs?: number;
  /** How long `stop()` lets running operations finish before aborting them. Default 15s. */
  stopGraceMs?: number;
  random?: () => number;
  now?: () => Date;
}

/** Apps of one repo checked at once during a poll. */
const EVALUATE_CONCURRENCY = 16;

interface RepoGroup {
  key: string;
  repo: RepoRef;
  control: boolean;
  apps: Set<AppRuntime>;
  ticker: Ticker;
  /** Last resolved revision per ref, for `source.updated`. */
  revisions: Map<string, string>;
}

/** Extra facts the engine exposes beyond the facade (used by `up`, tests and the bench). */
export interface EngineInternals {
  /** Why the newest `wheelhouse.yaml` was refused, if it was (the last good one stays in force). */
  configIssues(): ValidationIssue[];
  /** Renders performed since start (the bench checks one commit re-renders one app). */
  renderCount(): number;
  /** Resolves when no operation runs or waits on any app. */
  settled(): Promise<void>;
}

export function createEngine(deps: EngineDeps, options: EngineOptions = {}): Engine & EngineInternals {
  const now = options.now ?? (() => new Date());
  const shutdown = new AbortController();
  const events = createEventBus({
    onListenerError: (err) => deps.log.error({ err: errorMessage(err) }, 'event listener failed'),
  });
  const ctx: EngineContext = {
    store: deps.store,
    source: deps.source,
    kinds: deps.kinds,
    events,
    renders: createRenderCache(),
    semaphore: createSemaphore(options.concurrency ?? 8),
    log: deps.log,
    shutdown: shutdown.signal,
    now,
    redact: () => redactor,
  };
  const control: RepoRef & { ref: string } = {
    url: deps.controlRepo.url,
    ref: deps.controlRepo.ref,
    ...(deps.controlRepo.auth ? { auth: deps.controlRepo.auth } : {}),
  };
  const controlKey = normalizeRepoUrl(control.url);
  const runtimes = new Map<string, AppRuntime>();
  const groups = new Map<string, RepoGroup>();
  const drivers = new Map<string, Driver>();
  const unwatch: (() => void)[] = [];
  let config: ControlConfig | undefined;
  let redactor: Redactor = noRedaction;
  let controlRevision: string | undefined;
  let configIssues: ValidationIssue[] = [];
  let started = false;
  let stopped = false;

  // ---- groups and runtimes -------------------------------------------------------------------

  function groupFor(repo: RepoRef, isControl: boolean): RepoGroup {
    const key = normalizeRepoUrl(repo.url);
    let group = groups.get(key);
    if (!group) {
      const created: RepoGroup = {
        key,
        repo,
        control: isControl || key === controlKey,
        apps: new Set(),
        revisions: new Map(),
        ticker: createTicker({
          intervalMs: options.controlIntervalMs ?? 30_000,
          random: options.random ?? Math.random,
          tick: () => tickGroup(created),
          onError: (err) => deps.log.error({ repo: key, err: errorMessage(err) }, 'poll failed'),
        }),
      };
      group = created;
      groups.set(key, group);
      if (started) void group.ticker.trigger();
    }
    return group;
  }

  function retune(group: RepoGroup): void {
    const intervals = [...group.apps].map((rt) => rt.spec.intervalMs);
    if (group.control) intervals.push(options.controlIntervalMs ?? 30_000);
    if (intervals.length === 0) {
      group.ticker.stop();
      groups.delete(group.key);
      return;
    }
    group.ticker.setInterval(Math.min(...intervals));
  }

  async function driverFor(targetName: string): Promise<Driver> {
    const existing = drivers.get(targetName);
    if (existing) return existing;
    const target = config?.targets[targetName];
    if (!target) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `target ${targetName} is not declared in wheelhouse.yaml; add it under targets:`,
      );
    }
    const driver = deps.createDriver(target);
    drivers.set(targetName, driver);
    await driver.start();
    if (driver.watch) unwatch.push(driver.watch(onDriverEvent));
    return driver;
  }

  async function applyConfig(next: ControlConfig): Promise<void> {
    config = next;
    redactor = createRedactor({ patterns: next.secretPatterns });
    const wanted = new Set(next.apps.map((a) => a.name));
    for (const [name, rt] of runtimes) {
      if (wanted.has(name)) continue;
      rt.log.warn(
        `app ${name} was removed from wheelhouse.yaml; its resources keep running (stop them on the target, or re-add the app with an empty path and allowEmpty: true to prune)`,
      );
      runtimes.delete(name);
      // By membership, never by re-parsing the URL: a removed app's URL may be the bad one.
      leaveGroup(rt);
    }
    // One app that cannot be set up (a bad source, a driver that fails to start) fails alone.
    for (const spec of next.apps) {
      try {
        await applyApp(spec);
      } catch (err) {
        const rt = runtimes.get(spec.name);
        if (rt) leaveGroup(rt);
        const message = `app ${spec.name} cannot be set up: ${errorMessage(err)}`;
        if (rt) rt.state.lastError = { code: 'CONFIG_INVALID', message, at: now().toISOString() };
        deps.log.error({ app: spec.name }, message);
      }
    }
    for (const group of [...groups.values()]) retune(group);
  }

  async function applyApp(spec: AppSpec): Promise<void> {
    const existing = runtimes.get(spec.name);
    if (existing && JSON.stringify(existing.spec) === JSON.stringify(spec)) return;
    const rt = existing ?? (await createRuntime(spec));
    runtimes.set(spec.name, rt);
    if (existing) {
      const driver = await driverFor(spec.target);
      leaveGroup(existing);
      const renderedFor = renderTarget(existing);
      existing.spec = spec;
      existing.driver = driver;
      existing.targetOptions = config?.targets[spec.target]?.options ?? {};
      // Same tree, other render inputs (ignoreDifferences, the target's namespace): render again.
      if (renderTarget(existing) !== renderedFor) delete existing.desired;
    }
    if (spec.problem) {
      // Shown with its problem, not polled; what runs keeps running until the entry is fixed.
      rt.problemSince = now().toISOString();
      rt.log.error(`not managed until wheelhouse.yaml is fixed: ${formatIssue(spec.problem)}`);
      return;
    }
    delete rt.problemSince;
    rt.repo = repoOf(spec);
    groupFor(rt.repo, spec.sourceIsControlRepo).apps.add(rt);
  }

  function leaveGroup(rt: AppRuntime): void {
    delete rt.sourceError; // it was about the group's repository
    for (const group of groups.values()) {
      if (!group.apps.delete(rt)) continue;
      retune(group);
      return;
    }
  }

  function repoOf(spec: AppSpec): RepoRef {
    if (spec.sourceIsControlRepo) return control;
    return { url: spec.source.repo, ...(spec.source.auth ? { auth: spec.source.auth } : {}) };
  }

  async function createRuntime(spec: AppSpec): Promise<AppRuntime> {
    const state = (await deps.store.getAppState(spec.name)) ?? { app: spec.name, inventory: [] };
    const rt: AppRuntime = {
      spec,
      repo: spec.problem ? { url: spec.source.repo } : repoOf(spec),
      driver: await driverFor(spec.target),
      targetOptions: config?.targets[spec.target]?.options ?? {},
      log: deps.log.child({ app: spec.name }),
      state,
      live: [],
      changes: [],
      syncStatus: 'Unknown',
      health: { status: 'Unknown', message: 'not observed yet' },
      queue: createAppQueue((id, request) => operate(rt, id, request)),
      failures: undefined,
      healing: undefined,
      announcedDrift: new Set(),
      sourcePaths: [],
    };
    const [last] = await deps.store.listSyncs(spec.name, { limit: 1 });
    if (last) rt.lastSync = last;
    return rt;
  }

  async function operate(rt: AppRuntime, id: string, request: OperationRequest): Promise<SyncRecord> {
    const { record, outcome } = await runSyncOperation(ctx, rt, id, request, { dryRun: false });
    noteOutcome(rt, record.digest, outcome, options.retryBaseMs ?? 10_000, now().getTime());
    return record;
  }

  function enqueue(rt: AppRuntime, request: OperationRequest): void {
    if (stopped || rt.spec.problem) return;
    void rt.queue
      .enqueue(request)
      .done.catch((err) => rt.log.error({ err: errorMessage(err) }, 'operation failed'));
  }

  // ---- polling -------------------------------------------------------------------------------

  async function tickGroup(group: RepoGroup): Promise<void> {
    if (stopped) return;
    let fetchError: string | undefined;
    try {
      await deps.source.fetch(group.repo);
    } catch (err) {
      // The mirror keeps the last fetched state: apps keep being checked against it.
      fetchError = ctx.redact()(errorMessage(err));
      events.publish({ type: 'source.failed', repo: group.key, message: fetchError });
      deps.log.warn({ repo: group.key }, fetchError);
    }
    noteFetch(group, fetchError);
    if (group.control) await reloadControl();
    await refreshLocks();
    const apps = [...group.apps];
    const refs = new Map<string, Promise<string>>();
    const revisionOf = (rt: AppRuntime): Promise<string> => {
      if (rt.state.pinnedRevision) return Promise.resolve(rt.state.pinnedRevision);
      const ref = rt.spec.source.ref;
      let found = refs.get(ref);
      if (!found) {
        found = deps.source.resolve(group.repo, ref);
        refs.set(ref, found);
      }
      return found;
    };
    const byRevision = new Map<string, AppRuntime[]>();
    for (const rt of apps) {
      try {
        const revision = await revisionOf(rt);
        byRevision.set(revision, [...(byRevision.get(revision) ?? []), rt]);
      } catch (err) {
        rt.state.lastError = { code: 'REF_NOT_FOUND', message: errorMessage(err), at: now().toISOString() };
      }
    }
    const changedApps: string[] = [];
    for (const [revision, list] of byRevision) {
      const ids = await deps.source.treeIds(group.repo, revision, [...new Set(list.flatMap(digestPaths))]);
      // Checks overlap so reads of changed trees pipeline through git's long-lived process.
      await forEachLimited(list, EVALUATE_CONCURRENCY, async (rt) => {
        const declared = declaredFrom(rt, revision, ids);
        if ((rt.desired?.digest ?? '') !== (declared.digest ?? ABSENT_DIGEST)) changedApps.push(rt.spec.name);
        try {
          await evaluateApp(ctx, rt, declared, enqueue);
        } catch (err) {
          rt.log.error({ err: errorMessage(err) }, 'check failed');
        }
      });
    }
    for (const [ref, promise] of refs) {
      const revision = await promise.catch(() => undefined);
      if (revision && group.revisions.get(ref) !== revision) {
        const first = !group.revisions.has(ref);
        group.revisions.set(ref, revision);
        if (!first) events.publish({ type: 'source.updated', repo: group.key, revision, apps: changedApps });
      }
    }
  }

  /** Shows a failed fetch on every app of the repo (and clears it after a good one). */
  function noteFetch(group: RepoGroup, message: string | undefined): void {
    const at = now().toISOString();
    for (const rt of group.apps) {
      const had = rt.sourceError !== undefined;
      if (message === undefined) delete rt.sourceError;
      else rt.sourceError = { message, since: rt.sourceError?.since ?? at, at };
      if (had === (message !== undefined)) continue;
      events.publish({
        type: 'app.updated',
        app: rt.spec.name,
        syncStatus: rt.syncStatus,
        health: rt.health,
      });
    }
  }

  async function reloadControl(): Promise<void> {
    const revision = await deps.source.resolve(control, control.ref);
    if (revision === controlRevision) return;
    let load: ControlLoad;
    try {
      load = await loadControlConfig(deps.source, control, revision, deps.drivers);
    } catch (err) {
      deps.log.error({ err: errorMessage(err) }, 'cannot read wheelhouse.yaml');
      return;
    }
    controlRevision = revision;
    if (!load.ok) {
      configIssues = load.issues;
      deps.log.error(
        `wheelhouse.yaml at ${shortSha(revision)} is invalid; ${config ? 'the last valid configuration stays in force' : 'no apps run until it is fixed'}:\n${load.issues.map(formatIssue).join('\n')}`,
      );
      return;
    }
    configIssues = [];
    await applyConfig(load.config);
  }

  async function refreshLocks(): Promise<void> {
    const locks = new Map((await deps.store.listLocks()).map((l) => [l.app, l]));
    for (const rt of runtimes.values()) {
      const lock = locks.get(rt.spec.name);
      const changed = lock?.holder !== rt.lock?.holder || lock?.createdAt !== rt.lock?.createdAt;
      if (lock) rt.lock = lock;
      else delete rt.lock;
      // A lock taken or released shows everywhere at once (the dashboard re-reads on app.updated).
      if (changed) {
        events.publish({
          type: 'app.updated',
          app: rt.spec.name,
          syncStatus: rt.syncStatus,
          health: rt.health,
          ...(rt.state.lastGoodRevision ? { revision: rt.state.lastGoodRevision } : {}),
        });
      }
    }
  }

  function onDriverEvent(event: DriverEvent): void {
    const rt = runtimes.get(event.app);
    if (!rt?.declared || stopped || rt.spec.problem) return;
    rt.log.debug({ resource: event.key }, `target changed: ${event.reason}`);
    void evaluateApp(ctx, rt, rt.declared, enqueue).catch((err) =>
      rt.log.error({ err: errorMessage(err) }, 'check failed'),
    );
  }

  // ---- facade --------------------------------------------------------------------------------

  /**
   * What `diff` shows: the changes as the target itself would apply them, when its driver can
   * preview (a Kubernetes server-side dry run), else the engine's own comparison.
   */
  async function previewedChanges(rt: AppRuntime, desired: RenderedRevision): Promise<ResourceChange[]> {
    if (!rt.driver.preview) return rt.changes;
    try {
      const preview = await rt.driver.preview(rt.spec.name, desired.resources);
      return diffResources(preview.desired, preview.live, { digest: desired.digest });
    } catch (err) {
      rt.log.warn({ err: errorMessage(err) }, 'preview failed; showing the comparison with the live cache');
      return rt.changes;
    }
  }

  /** An app the engine manages: one whose entry has a problem is refused with that problem. */
  function managed(name: string): AppRuntime {
    const rt = runtime(name);
    if (rt.spec.problem) throw appProblemError(rt.spec.name, rt.spec.problem);
    return rt;
  }

  function runtime(name: string): AppRuntime {
    const rt = runtimes.get(name);
    if (rt) return rt;
    const [hint] = closestMatches(name, runtimes.keys(), { limit: 1 });
    throw new WheelhouseError(
      'NOT_FOUND',
      `no app named ${name}${hint ? `; did you mean ${hint}?` : ''} (apps are declared in wheelhouse.yaml; list them with \`wheelhouse apps\`)`,
      { details: { app: name } },
    );
  }

  const engine: Engine & EngineInternals = {
    events,
    async start() {
      if (started) return;
      // Config first, then resume what a crash left running, before any new operation starts.
      const controlGroup = groupFor(control, true);
      try {
        await deps.source.fetch(control);
      } catch (err) {
        deps.log.warn({ repo: controlKey }, errorMessage(err));
      }
      await reloadControl().catch((err) =>
        deps.log.error({ err: errorMessage(err) }, 'cannot load wheelhouse.yaml'),
      );
      for (const record of await deps.store.listRunningSyncs()) {
        const rt = runtimes.get(record.app);
        if (rt) enqueue(rt, { trigger: record.trigger, actor: record.actor, resumeId: record.id });
      }
      started = true;
      await controlGroup.ticker.trigger();
      for (const group of groups.values()) if (group !== controlGroup) void group.ticker.trigger();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const group of groups.values()) group.ticker.stop();
      const idle = Promise.all([...runtimes.values()].map((rt) => rt.queue.idle()));
      const grace = new Promise((resolve) => setTimeout(resolve, options.stopGraceMs ?? 15_000).unref());
      await Promise.race([idle, grace]);
      shutdown.abort();
      await idle;
      for (const off of unwatch) off();
      await Promise.all([...drivers.values()].map((d) => d.stop()));
    },
    config() {
      if (!config) {
        throw new WheelhouseError(
          'UNAVAILABLE',
          `no valid wheelhouse.yaml loaded yet: ${configIssues.map(formatIssue).join('; ') || 'still loading'}`,
        );
      }
      return config;
    },
    apps(): AppStatus[] {
      return [...runtimes.values()].map(appStatus).sort((a, b) => a.name.localeCompare(b.name));
    },
    status(name) {
      return appStatus(runtime(name));
    },
    async refresh(name) {
      const rt = managed(name);
      await groupFor(rt.repo, rt.spec.sourceIsControlRepo).ticker.trigger();
    },
    async refreshRepo(url) {
      const key = normalizeRepoUrl(url);
      const group = groups.get(key);
      if (!group) return [];
      await group.ticker.trigger();
      return [...group.apps].map((rt) => rt.spec.name);
    },
    async sync(name, request) {
      const rt = managed(name);
      const base = {
        trigger: 'manual' as const,
        actor: request.actor,
        ...(request.revision ? { revision: request.revision } : {}),
        ...(request.requestId ? { requestId: request.requestId } : {}),
      };
      if (request.dryRun) {
        const id = newId('sync');
        const done = runSyncOperation(ctx, rt, id, base, { dryRun: true }).then((r) => r.record);
        return { operationId: id, done };
      }
      return rt.queue.enqueue(base);
    },
    async diff(name) {
      const rt = managed(name);
      await refreshLive(ctx, rt);
      if (!rt.desired) {
        throw new WheelhouseError(
          'UNAVAILABLE',
          `app ${name} has no rendered desired state yet${rt.state.lastError ? `: ${rt.state.lastError.message}` : ''}`,
          { details: { app: name } },
        );
      }
      const changes = await previewedChanges(rt, rt.desired);
      return {
        app: name,
        revision: rt.desired.revision,
        changes: redactChanges(changes, { redact: redactor }),
        text: formatDiff(changes, { redact: redactor }),
      };
    },
    history(name, limit = 50) {
      runtime(name);
      return deps.store.listSyncs(name, { limit });
    },
    logs(name, resource, logOptions) {
      const rt = runtime(name);
      const candidates = [
        ...(rt.desired?.resources.map((r) => ({ key: r.key, name: r.metadata.name })) ?? []),
        ...rt.live.map((l) => ({ key: l.key, name: l.name })),
      ];
      const match = candidates.find((c) => c.key === resource || c.name === resource);
      if (!match) {
        const [hint] = closestMatches(
          resource,
          candidates.map((c) => c.name),
          { limit: 1 },
        );
        throw new WheelhouseError(
          'NOT_FOUND',
          `app ${name} has no resource ${resource}${hint ? `; did you mean ${hint}?` : ''}`,
          { details: { app: name, resource } },
        );
      }
      return rt.driver.logs(name, match.key, logOptions);
    },
    configIssues: () => configIssues,
    renderCount: () => ctx.renders.renders,
    async settled() {
      await Promise.all([...runtimes.values()].map((rt) => rt.queue.idle()));
    },
  };
  return engine;
}
