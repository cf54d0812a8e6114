import type { AppSpec } from '../config.js';
import type { Health } from '../health.js';
import type { Logger } from '../logger.js';
import type { DesiredResource, HookPhase, LiveResource } from '../resource.js';

export interface SpecIssue {
  /** Path inside `spec`, e.g. ['health', 'http', 'url']. */
  path: (string | number)[];
  message: string;
  /** Point at the key (an unknown field) rather than at its value. */
  at?: 'key';
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: SpecIssue[] };

/** A kind a driver serves: its schema (validate + fill defaults) and how it is ordered. */
export interface KindDefinition {
  kind: string;
  /** One line for `help` and the docs. */
  description: string;
  parse(spec: unknown): ParseResult<Record<string, unknown>>;
  /** Hooks run once per app digest, before (PreSync) or after (PostSync) everything else. */
  hook?(spec: Record<string, unknown>): HookPhase | undefined;
  /** Order among kinds within a wave; lower applies first (e.g. File before Process). */
  order: number;
  /**
   * Directories of the source repo the resource runs from, outside its manifest (a Process's
   * `cwd`). The engine writes their git tree ids into the spec as `sourceTrees`, so a commit that
   * changes only code there still changes the resource, and counts as a change of its app.
   */
  sourcePaths?(spec: Record<string, unknown>): string[];
}

/**
 * A driver that takes its platform's own manifests (e.g. Kubernetes objects of any apiVersion and
 * kind) instead of `wheelhouse/v1` kinds. Render keeps each document whole: its apiVersion as
 * written, and the object without `apiVersion` and `kind` as the resource's `spec` (so `metadata`
 * labels and annotations are compared too). Which kinds exist is the platform's business, checked
 * at apply time; `read` checks only what it can know without reaching the platform.
 */
export interface ForeignManifests {
  /** One line for `help` and the docs. */
  description: string;
  read(input: ForeignReadInput): ParseResult<ForeignResource>;
  /** Order among kinds within a wave; lower applies first (e.g. Namespace before Deployment). */
  order(kind: string): number;
}

/** A platform document: a mapping with a text `apiVersion`, a PascalCase `kind` and `metadata`. */
export type ForeignObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
};

export interface ForeignReadInput {
  /** The document; its `metadata.name` is set. */
  object: ForeignObject;
  app: AppSpec;
  /** The options of the app's target (e.g. its default namespace); `{}` when unknown. */
  targetOptions: Record<string, unknown>;
  /**
   * Every document of the app (this one included), for what one declares about another: a
   * Kubernetes CRD gives its custom resources' scope. Default: none.
   */
  siblings?: readonly ForeignObject[];
}

export interface ForeignResource {
  /** The key's kind segment: enough to tell same-named kinds apart (e.g. `Deployment.apps`). */
  keyKind: string;
  /** The object's namespace after defaulting; `''` for cluster-scoped objects. */
  namespace: string;
  /** What is applied and compared, in the driver's form. */
  spec: Record<string, unknown>;
  hook?: HookPhase;
}

/** The spec field the engine fills with the tree ids of a kind's `sourcePaths`. */
export const SOURCE_TREES_FIELD = 'sourceTrees';

export interface ApplyContext {
  app: string;
  /** Commit sha and the app's tree id the resource comes from. */
  revision: string;
  digest: string;
  /**
   * The source repo's tree at `revision`, materialized read-only on first call. Drivers that
   * need files (a Process's cwd) call it; others never pay for a checkout.
   */
  checkout(): Promise<string>;
  signal: AbortSignal;
  /**
   * Facts this resource had when this same tree was last applied successfully (e.g. the image
   * digest), so re-applying an earlier tree (a rollback) brings back exactly what ran then.
   */
  recorded?: Record<string, unknown>;
  /** Progress for the UI and chat threads ("replica 2/3 healthy"). */
  progress(message: string): void;
  log: Logger;
}

export interface ApplyOutcome {
  /** Facts to keep in history (e.g. an image digest). */
  facts?: Record<string, unknown>;
  /** For hooks: whether it succeeded, with its log tail. */
  hookResult?: { succeeded: boolean; logTail: string[] };
}

export interface Preview {
  desired: DesiredResource[];
  live: LiveResource[];
  /**
   * Resources the platform refuses at the dry run (an admission policy, a validation rule): an
   * apply would fail with `message`. Absent: none refused.
   */
  refused?: { key: string; message: string }[];
}

export interface LogLine {
  /** ISO-8601 when known. */
  at?: string;
  stream: 'stdout' | 'stderr';
  /** Which replica / container produced it. */
  source: string;
  text: string;
}

export interface LogOptions {
  tail: number;
  follow: boolean;
  signal?: AbortSignal;
}

/** Something changed on the target without the engine asking (a process exited, a container died). */
export interface DriverEvent {
  app: string;
  key: string;
  reason: string;
  /** Set when the driver's supervisor restarted a replica on its own (for the app's activity). */
  restart?: {
    /** `replica-1`, as the resource tree names it. */
    replica: string;
    /** How the run before ended: "exited with code 1". */
    after: string;
    /** Restarts of that replica so far, this one included. */
    count: number;
  };
}

/**
 * The port every driver implements (process, docker, kubernetes). The engine never knows which
 * driver it talks to.
 */
export interface Driver {
  readonly name: string;
  readonly kinds: readonly KindDefinition[];
  /** Set by drivers that take their platform's own manifests instead of (or beside) `kinds`. */
  readonly foreign?: ForeignManifests;
  /** Begin supervising: re-adopt what earlier runs left running. */
  start(): Promise<void>;
  /** Stop supervising; workloads keep running (the next start re-adopts them). */
  stop(): Promise<void>;
  /** Live state of every resource this driver owns for the app (cheap: served from a cache). */
  observe(app: string): Promise<LiveResource[]>;
  /** Create or update one resource; resolves once applied (not necessarily healthy). */
  apply(resource: DesiredResource, ctx: ApplyContext): Promise<ApplyOutcome>;
  /** Remove one owned resource. */
  remove(resource: LiveResource, ctx: ApplyContext): Promise<void>;
  /** Current health of one resource (the runner polls this while waiting). */
  health(app: string, key: string): Promise<Health>;
  logs(app: string, key: string, options: LogOptions): AsyncIterable<LogLine>;
  /**
   * Optional: the desired and live state of an app's resources as the platform itself would
   * answer an apply (a server-side dry run: its defaults, webhooks and canonical values), for
   * `diff`. Both sides come back in the same form; resources the platform cannot preview keep
   * their rendered spec.
   */
  preview?(app: string, resources: readonly DesiredResource[]): Promise<Preview>;
  /**
   * Optional: a sync of `app` starts; its applies and removes follow, then `endSync`. Between the
   * two a driver may batch per-sync bookkeeping (the kubernetes driver writes its inventory once,
   * at the end, instead of once per resource).
   */
  beginSync?(app: string): Promise<void>;
  /**
   * Optional: the sync of `app` is over (also when it failed): write what was batched. A failure
   * here fails the sync.
   */
  endSync?(app: string): Promise<void>;
  /** Optional: push notifications of changes so self-heal does not wait for the next poll. */
  watch?(listener: (event: DriverEvent) => void): () => void;
  /**
   * Optional: a number that changes whenever what `observe(app)` reports may have changed
   * (applies, removals, and everything the driver announces through `watch`). With it the engine
   * skips observing an app that was in sync and has not changed since, running a full check
   * every few minutes all the same; drivers that cannot tell leave it out and are observed on
   * every check.
   */
  liveVersion?(app: string): number;
  /** `wheelhouse down`: stop every workload this driver runs. */
  teardown?(): Promise<void>;
}

export interface DriverDeps {
  /** Target name from wheelhouse.yaml. */
  target: string;
  /** Driver options from the target's entry (validated by the driver). */
  options: Record<string, unknown>;
  /** A directory the driver owns under the data dir. */
  stateDir: string;
  log: Logger;
  /** Environment to read `secretEnv` values from. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Names of variables in `env` that hold Wheelhouse's own secrets (chat tokens, webhook
   * secrets named in wheelhouse.yaml): a workload's `secretEnv` may never read them.
   */
  reservedEnv?: () => readonly string[];
  /** The clock (the engine's, so tests can drive both); default: the system clock. */
  now?: () => Date;
  /**
   * Values the engine knows to be secret (decrypted from SOPS files), as they are now. A driver
   * that records specs on disk keeps these out of its records.
   */
  secretValues?: () => ReadonlySet<string>;
}

export type DriverFactory = (deps: DriverDeps) => Driver;
