import type {
  AppOperation,
  AppSpec,
  AppState,
  AppWaiting,
  DesiredResource,
  Driver,
  Health,
  LiveResource,
  Lock,
  Logger,
  RepoRef,
  ResourceChange,
  SourceError,
  SyncRecord,
  SyncStatus,
  ValidationIssue,
} from '../core/index.js';
import type { AppQueue, OperationRequest } from './app-queue.js';

/** Desired state of an app at one revision, as rendered. */
export interface RenderedRevision {
  revision: string;
  digest: string;
  resources: DesiredResource[];
}

/** What Git declares for the app now (before rendering). */
export interface Declared {
  revision: string;
  /** Tree id of the app's path; null when the path does not exist at that revision. */
  tree: string | null;
  /**
   * What identifies the app's desired state: the path's tree id, combined with the tree ids of
   * the directories its resources run from (`sourcePaths`) when it has any; null when the path
   * does not exist.
   */
  digest: string | null;
}

/** Everything the engine holds in memory for one app. */
export interface AppRuntime {
  spec: AppSpec;
  repo: RepoRef;
  driver: Driver;
  /** The options of the app's target in wheelhouse.yaml (render reads a default namespace there). */
  targetOptions: Record<string, unknown>;
  log: Logger;
  state: AppState;
  declared?: Declared;
  /** Last successful render (the desired state the engine converges to). */
  desired?: RenderedRevision;
  /** The newest render failure; cleared by a successful render. */
  renderError?: { revision: string; digest: string; message: string; issues: ValidationIssue[] };
  /** What the newest good render left out or changed (helm hooks with no counterpart). */
  renderWarnings?: ValidationIssue[];
  live: LiveResource[];
  changes: ResourceChange[];
  syncStatus: SyncStatus;
  health: Health;
  lastSync?: SyncRecord;
  operation?: AppOperation;
  lock?: Lock;
  queue: AppQueue;
  /** Backoff for automatic attempts after a failed sync of the same digest. */
  failures: { digest: string; count: number; nextAttemptAt: number } | undefined;
  /** Backoff of self-heal while drift keeps coming back; cleared when a check finds none. */
  healing: { count: number; nextAttemptAt: number } | undefined;
  /** Drift keys already announced, so `drift.detected` fires once per episode. */
  announcedDrift: Set<string>;
  /**
   * The last check that found the app in sync: its digest, the driver's `liveVersion` then, and
   * when. A check with the same digest and version skips observing (evaluate.ts).
   */
  lastClean?: { digest: string; version: number; at: number } | undefined;
  /** A person asked to refresh this app: its next check observes it whatever the version says. */
  fullCheck?: boolean;
  /** Directories outside the manifests the app's resources run from (learned at render). */
  sourcePaths: string[];
  /** Repo paths a kustomize/helm render reads (learned at render; part of the render's cache key). */
  renderInputs?: string[];
  /** The newest failed fetch of the app's source; cleared by a good fetch. */
  sourceError?: SourceError;
  /** The refused (revision, keys) already told, so a poll does not check and tell it again. */
  refusedSignature?: { key: string; message: string } | undefined;
  /** When the app's entry got the problem it has (`spec.problem`), as ISO time. */
  problemSince?: string;
  /** An automatic sync parked until the app's dependencies are ready (dependency-gate.ts). */
  waiting?: { wait: AppWaiting; request: OperationRequest };
}
