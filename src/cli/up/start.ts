import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configuredAdapters, createChatOps } from '../../chat/index.js';
import { createCiJobRunner, createCiService } from '../../ci/index.js';
import { configSecretNames } from '../../config/index.js';
import type { ControlConfig, Engine, Logger, SourceProvider, Store, VerifySpec } from '../../core/index.js';
import { createKindRegistry, driverNames, targetOptionsRefusal } from '../../drivers/index.js';
import { createEngine, type EngineInternals } from '../../engine/index.js';
import { renderToolVersions, toolOptionsFromEnv } from '../../render/index.js';
import {
  chatEndpointRoutes,
  createMetrics,
  createServer,
  imageRoutes,
  instrumentSource,
  principalOf,
  type RunningServer,
  replicaRoutes,
  type TrustProxy,
} from '../../server/index.js';
import { createGitSource, defaultBranch } from '../../source/git/index.js';
import { defaultStoreUrl, openStore } from '../../store/index.js';
import { claimDataDir } from './data-dir.js';
import { ensureDemoRepo } from './demo.js';
import { createImageAutomation } from './image-automation.js';
import { registryHookRoutes } from './image-hooks.js';
import { privateDataDir } from './private-data-dir.js';
import { joinCluster, type ReplicaOptions } from './replica.js';
import { checkStoreContinuity, markStoreInUse } from './store-continuity.js';
import { createTargetDriver } from './targets.js';

export interface StartOptions {
  /** Control repo path or URL; default: the current directory when it has wheelhouse.yaml, else the demo. */
  repo?: string;
  /** Ref to follow; default: the branch the repo's HEAD names (its default branch), else `main`. */
  ref?: string;
  dataDir: string;
  /** `sqlite:<file>` (default, in the data dir) or `postgres://...`. */
  storeUrl?: string;
  /** Start even though the data dir holds earlier state and the store is empty or missing. */
  resetStore?: boolean;
  cwd: string;
  log: Logger;
  /** Subscribe to the engine's events before it starts (so the first sync is seen too). */
  onEvents?: (events: Engine['events']) => void;
  /** Where people reach Wheelhouse (links in chat); default: the server's own URL. */
  publicUrl?: string;
  /** The demo's web service port (replica i on port + i); default 7080. Only for the demo. */
  demoPort?: number;
  /** Keys on this host the control repo's commits must be signed with (docs/git-sources.md). */
  controlVerify?: VerifySpec;
  /** With a PostgreSQL store: this replica's id and lease time (docs/high-availability.md). */
  replica?: ReplicaOptions;
  /** Serve the HTTP API (REST, events, webhooks, metrics) here; no server when absent. */
  http?: {
    host: string;
    port: number;
    /** Which proxies' X-Forwarded-* headers count (ServerOptions.trustProxy). */
    trustProxy?: TrustProxy;
    /** Caps on open log follow streams (ServerOptions.logStreams). */
    logStreams?: { perUser?: number; total?: number };
  };
}

export interface Running {
  engine: Engine & EngineInternals;
  store: Store;
  source: SourceProvider;
  controlRepo: string;
  /** The ref followed (as given, or the repo's default branch). */
  ref: string;
  demo: { created: boolean; port: number } | undefined;
  /** The HTTP server, when `http` was given. */
  server?: RunningServer;
  stop(): Promise<void>;
}

/** Everything `wheelhouse up` runs, in one process, with embedded defaults. */
export async function startWheelhouse(options: StartOptions): Promise<Running> {
  // Whatever Wheelhouse writes is private to its user: workloads (another user when it runs as
  // root) must not read the admin token, the database or the mirrors. Workloads start with 022.
  process.umask(0o077);
  const release = await claimDataDir(options.dataDir);
  await privateDataDir(options.dataDir, options.log);
  const { repo, demo } = await controlRepoFor(options);
  const ref = options.ref ?? (await defaultBranch(repo)) ?? 'main';
  const storeUrl = options.storeUrl ?? defaultStoreUrl(options.dataDir);
  const resetStore = options.resetStore === true;
  const checked = await checkStoreContinuity(options.dataDir, storeUrl, resetStore).catch(async (err) => {
    await release();
    throw err;
  });
  const store = await openStore(storeUrl, { log: options.log });
  await markStoreInUse(options.dataDir, store, checked, resetStore, options.log);
  let server: RunningServer | undefined;
  const publicUrl = (): string | undefined => options.publicUrl ?? server?.url;
  const cluster = await joinCluster(
    storeUrl,
    options.dataDir,
    options.replica ?? {},
    () => publicUrl() ?? '',
    options.log,
  ).catch(async (err) => {
    await store.close();
    await release();
    throw err;
  });
  const metrics = createMetrics();
  const git = createGitSource({ dataDir: options.dataDir, log: options.log.child({ layer: 'git' }) });
  const source = instrumentSource(git, metrics);
  const engine = createEngine({
    store,
    source,
    kinds: createKindRegistry(),
    drivers: driverNames(),
    checkTargetOptions: targetOptionsRefusal,
    createDriver: (target) =>
      createTargetDriver(
        options.dataDir,
        target,
        options.log,
        () => {
          const config = loadedConfig(engine);
          return config ? configSecretNames(config) : [];
        },
        () => engine.secretValues?.() ?? new Set(),
      ),
    log: options.log.child({ layer: 'engine' }),
    // CIJob sync hooks run on the `ci:` servers of the configuration in force (docs/ci.md).
    ciJobs: createCiJobRunner(createCiService({ config: () => engine.config(), env: process.env }), {
      pollMs: CI_HOOK_POLL_MS,
    }),
    controlRepo: { url: repo, ref, ...(options.controlVerify ? { verify: options.controlVerify } : {}) },
    ...(cluster ? { cluster } : {}),
  });
  options.onEvents?.(engine.events);
  // Which kustomize/helm renders of kubernetes apps will use (docs/kustomize-helm.md): logged
  // once, and served at GET /api/v1/version (`wheelhouse version`).
  const tools = renderToolVersions(toolOptionsFromEnv(), options.dataDir);
  void tools.then((versions) => options.log.info({ tools: versions }, 'render tools'));
  // The control room: policy, approvals, locks, write-back, chat and notifications, on every surface.
  // Image automation writes through chat's actions, and chat's `images` reads its checks.
  let images: ReturnType<typeof createImageAutomation> | undefined;
  const chatops = createChatOps({
    engine,
    store,
    source,
    git,
    images: () => images?.statuses() ?? [],
    dataDir: options.dataDir,
    log: options.log,
    controlRepo: { url: repo, ref },
    // Chat platforms configured under `chat:` in wheelhouse.yaml (read once the config is loaded).
    adapters: () => {
      const config = loadedConfig(engine);
      const url = publicUrl();
      return config
        ? configuredAdapters(config, {
            env: process.env,
            log: options.log,
            stateDir: join(options.dataDir, 'chat'),
            store,
            ...(url ? { publicUrl: url } : {}),
          })
        : [];
    },
  });
  // `images:` policies: newer images become commits by the image-automation bot (docs/image-automation.md).
  images = createImageAutomation({
    engine,
    source,
    actions: chatops.actions,
    controlRepo: { url: repo },
    controlRef: ref,
    env: process.env,
    log: options.log.child({ layer: 'images' }),
  });
  // Listen before the first fetch, so probes answer (503 until a config is loaded) and a port
  // in use fails at once.
  server = options.http
    ? await createServer(
        {
          engine,
          store,
          log: options.log,
          dataDir: options.dataDir,
          metrics,
          tools: () => tools,
          guard: chatops.guard,
          redactor: chatops.redactor,
          source,
          controlRepo: { url: repo },
          // The dashboard at `/`: its session's actions are recorded as `web:<user>`.
          dashboard: {},
          plugins: {
            public: [
              chatEndpointRoutes(() => chatops.chat.endpoints()),
              registryHookRoutes(
                () => images,
                process.env,
                () => loadedConfig(engine),
              ),
            ],
            api: [
              replicaRoutes(cluster),
              imageRoutes(() => images.statuses(), { config: () => engine.config(), engine }),
              (app) =>
                chatops.routes((request) => principalOf(request).user, {
                  actorOf: (request) => principalOf(request).actor,
                  platformOf: (request) => (principalOf(request).via === 'session' ? 'web' : 'api'),
                })(app),
            ],
          },
        },
        {
          host: options.http.host,
          port: options.http.port,
          trustProxy: options.http.trustProxy ?? false,
          ...(options.http.logStreams ? { logStreams: options.http.logStreams } : {}),
        },
      )
    : undefined;
  try {
    await engine.start();
    await chatops.start();
    images.start();
  } catch (err) {
    await server?.close();
    throw err;
  }
  return {
    engine,
    store,
    source,
    controlRepo: repo,
    ref,
    demo,
    ...(server ? { server } : {}),
    async stop() {
      images.stop();
      await server?.close();
      await chatops.stop();
      await engine.stop();
      await source.close();
      await store.close();
      await release();
    },
  };
}

/** How often a CIJob hook's build is looked at (as chat follows a build). */
const CI_HOOK_POLL_MS = 5_000;

/** The configuration in force, or undefined while none has loaded (wheelhouse.yaml invalid). */
function loadedConfig(engine: Engine): ControlConfig | undefined {
  try {
    return engine.config();
  } catch {
    return undefined;
  }
}

async function controlRepoFor(
  options: StartOptions,
): Promise<{ repo: string; demo: { created: boolean; port: number } | undefined }> {
  if (options.repo) {
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.repo) || /^[^/]+@[^/]+:/.test(options.repo);
    return { repo: isUrl ? options.repo : resolve(options.cwd, options.repo), demo: undefined };
  }
  try {
    await access(join(options.cwd, 'wheelhouse.yaml'));
    return { repo: options.cwd, demo: undefined };
  } catch {
    const demo = await ensureDemoRepo(options.dataDir, options.demoPort);
    return { repo: demo.path, demo: { created: demo.created, port: demo.port } };
  }
}
