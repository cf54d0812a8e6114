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
}

/**
 * The port every driver implements (process, docker, kubernetes). The engine never knows which
 * driver it talks to.
 */
export interface Driver {
  readonly name: string;
  readonly kinds: readonly KindDefinition[];
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
  /** Optional: push notifications of changes so self-heal does not wait for the next poll. */
  watch?(listener: (event: DriverEvent) => void): () => void;
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
}

export type DriverFactory = (deps: DriverDeps) => Driver;
