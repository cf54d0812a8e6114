import type { TargetOptionsCheck } from '../config/index.js';
import {
  type AppStatus,
  type CiJobRunner,
  type Cluster,
  type Driver,
  type Engine,
  errorMessage,
  type KindRegistry,
  type Logger,
  type RepoAuth,
  type SourceProvider,
  type Store,
  type TargetSpec,
  type ValidationIssue,
  type VerifySpec,
  WheelhouseError,
} from '../core/index.js';
import { formatDiff, redactChanges } from '../diff/index.js';
import { normalizeRepoUrl } from '../source/git/index.js';
import { closestMatches, createRedactor, noRedaction } from '../util/index.js';
import type { EngineContext } from './context.js';
import { createControlTracker } from './control-status.js';
import type { EngineState, TargetDriver } from './engine-state.js';
import { createEventBus } from './event-bus.js';
import { forwardSync } from './forward.js';
import { newId } from './ids.js';
import { startEngine, stopEngine } from './lifecycle.js';
import { managed, previewedChanges, runtime } from './lookup.js';
import { admitManualSync } from './manual-sync.js';
import { refreshLive } from './observe.js';
import { owns } from './owns.js';
import { previewHead } from './preview.js';
import { createRenderCache } from './render-cache.js';
import { groupFor } from './repo-groups.js';
import { createRestartActivity } from './restart-activity.js';
import { createSemaphore } from './semaphore.js';
import { appStatus } from './status.js';
import { runSyncOperation } from './sync-operation.js';
import { trustOf } from './verify-source.js';
import { createYamlWorkers } from './yaml-workers.js';

export interface EngineDeps {
  store: Store;
  source: SourceProvider;
  kinds: KindRegistry;
  /** Registered driver names (for validating `targets`). */
  drivers: readonly string[];
  /** The drivers' own checks of target options: a target they refuse fails validation of the file. */
  checkTargetOptions?: TargetOptionsCheck;
  createDriver(target: TargetSpec): Driver;
  log: Logger;
  /** The repository holding `wheelhouse.yaml`, and the ref the engine follows. */
  /**
   * The control repo. With `verify`, a revision of it is loaded only when its commits are signed
   * by the keys given here (files on the host: the trust anchor outside Git).
   */
  controlRepo: { url: string; ref: string; auth?: RepoAuth; verify?: VerifySpec };
  /** Several replicas on PostgreSQL (docs/high-availability.md); absent: this engine owns every app. */
  cluster?: Cluster;
  /** Runs `CIJob` sync hooks on the `ci:` servers (docs/ci.md); absent: such hooks fail saying so. */
  ciJobs?: CiJobRunner;
}

export interface EngineOptions {
  /** Operations running at once across all apps. Default 8. */
  concurrency?: number;
  /** How often the control repo is polled when no app asks for less. Default 30s. */
  controlIntervalMs?: number;
  /** First backoff after a failed automatic sync (doubles, max 10 min). Default 10s. */
  retryBaseMs?: number;
  /** Worker threads that parse manifests; default one per spare core, at most 2; 0: none. */
  yamlWorkers?: number;
  /** How long `stop()` lets running operations finish before aborting them. Default 15s. */
  stopGraceMs?: number;
  random?: () => number;
  now?: () => Date;
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

/**
 * The engine facade. Its parts share one `EngineState`: repo groups (repo-groups.ts), polling and
 * checks (poll.ts), app runtimes and their queues (app-runtimes.ts), start and stop
 * (lifecycle.ts); what is here answers the facade's calls.
 */
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
    yaml: createYamlWorkers(deps.log, options.yamlWorkers),
    semaphore: createSemaphore(options.concurrency ?? 8),
    log: deps.log,
    shutdown: shutdown.signal,
    now,
    redact: () => st.redactor,
    ciServers: () => Object.keys(st.config?.ci ?? {}),
    addSecrets: (values) => {
      const before = st.secretValues.size;
      for (const value of values) st.secretValues.add(value);
      if (st.secretValues.size !== before)
        st.redactor = createRedactor({
          patterns: st.config?.secretPatterns ?? [],
          values: [...st.secretValues],
        });
    },
    trustOf: (verify, setting) =>
      trustOf({ source: deps.source, control, controlRevision: () => st.controlRevision }, verify, setting),
    ...(deps.cluster ? { cluster: deps.cluster } : {}),
  };
  const control = {
    url: deps.controlRepo.url,
    ref: deps.controlRepo.ref,
    ...(deps.controlRepo.auth ? { auth: deps.controlRepo.auth } : {}),
  };
  const st: EngineState = {
    deps,
    options,
    ctx,
    now,
    shutdown,
    control,
    controlKey: normalizeRepoUrl(control.url),
    runtimes: new Map(),
    groups: new Map(),
    drivers: new Map<string, TargetDriver>(),
    unwatch: [],
    config: undefined,
    redactor: noRedaction,
    secretValues: new Set(),
    controlRevision: undefined,
    configIssues: [],
    controlTrust: {},
    controlStatus: createControlTracker({
      repo: control.url,
      ref: control.ref,
      events,
      now,
      redact: (text) => st.redactor(text),
    }),
    recordRestart: createRestartActivity({ store: deps.store, events, now, log: deps.log }),
    started: false,
    stopped: false,
  };

  const engine: Engine & EngineInternals = {
    events,
    secretValues: () => st.secretValues,
    start: () => startEngine(st),
    stop: () => stopEngine(st),
    config() {
      if (!st.config) {
        throw new WheelhouseError(
          'UNAVAILABLE',
          `no valid wheelhouse.yaml loaded yet: ${st.controlStatus.status().problem?.message ?? 'still loading'}`,
        );
      }
      return st.config;
    },
    control: () => st.controlStatus.status(),
    apps(): AppStatus[] {
      return [...st.runtimes.values()].map(appStatus).sort((a, b) => a.name.localeCompare(b.name));
    },
    status(name) {
      return appStatus(runtime(st, name));
    },
    async refresh(name) {
      const rt = managed(st, name);
      rt.fullCheck = true;
      if (deps.cluster && !owns(ctx, name)) await deps.cluster.forward(name, { kind: 'refresh' });
      else await groupFor(st, rt.repo, rt.spec.sourceIsControlRepo).ticker.trigger();
    },
    async refreshRepo(url) {
      const key = normalizeRepoUrl(url);
      const group = st.groups.get(key);
      if (!group) return [];
      // A push webhook reaching a replica that does not own the repo's apps wakes their owners.
      const elsewhere = [...group.apps].filter((rt) => !owns(ctx, rt.spec.name));
      for (const rt of elsewhere) await deps.cluster?.forward(rt.spec.name, { kind: 'refresh' });
      if (elsewhere.length < group.apps.size) await group.ticker.trigger();
      return [...group.apps].map((rt) => rt.spec.name);
    },
    async sync(name, request) {
      const rt = managed(st, name);
      const base = {
        trigger: 'manual' as const,
        actor: request.actor,
        ...(request.revision ? { revision: request.revision } : {}),
        ...(request.requestId ? { requestId: request.requestId } : {}),
      };
      if (deps.cluster && !request.dryRun && !owns(ctx, name)) {
        const { revision, requestId } = request;
        return forwardSync(deps.cluster, deps.store, name, {
          actor: request.actor,
          ...(revision ? { revision } : {}),
          ...(requestId ? { requestId } : {}),
        });
      }
      if (request.dryRun) {
        const id = newId('sync');
        const done = runSyncOperation(ctx, rt, id, base, { dryRun: true }).then((r) => r.record);
        return { operationId: id, done };
      }
      const forced = await admitManualSync(st, rt, request);
      return rt.queue.enqueue({ ...base, ...forced });
    },
    async diff(name) {
      const rt = managed(st, name);
      await refreshLive(ctx, rt);
      // Git is ahead of what renders: comparing the old render would say "no changes" (a lie).
      if (rt.renderError) {
        throw new WheelhouseError('RENDER_FAILED', rt.renderError.message, {
          details: { app: name, revision: rt.renderError.revision },
        });
      }
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
        changes: redactChanges(changes, { redact: st.redactor }),
        text: formatDiff(changes, { redact: st.redactor }),
      };
    },
    preview: (request) => previewHead(ctx, st, request),
    history(name, limit = 50) {
      runtime(st, name);
      return deps.store.listSyncs(name, { limit });
    },
    logs(name, resource, logOptions) {
      const rt = runtime(st, name);
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
    configIssues: () => st.configIssues,
    renderCount: () => ctx.renders.renders,
    async settled() {
      await Promise.all([...st.runtimes.values()].map((rt) => rt.queue.idle()));
    },
  };
  return engine;
}
