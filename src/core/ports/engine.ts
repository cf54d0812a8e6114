import type { ControlConfig } from '../config.js';
import type { ValidationIssue } from '../errors.js';
import type { EventBus } from '../events.js';
import type { Health, SyncStatus } from '../health.js';
import type { PreviewReport, PreviewRequest } from '../preview.js';
import type { Lock } from '../records.js';
import type { ResourceChange, ResourceStatus, SyncRecord } from '../sync.js';
import type { LogLine } from './driver.js';

export interface SyncSummary {
  id: string;
  revision: string;
  result: SyncRecord['result'];
  actor: string;
  startedAt: string;
  finishedAt?: string;
}

export interface SourceError {
  message: string;
  /** First failed fetch of this run of failures, and the latest (ISO times). */
  since: string;
  at: string;
}

export interface AppOperation {
  syncId: string;
  startedAt: string;
  step: string;
  message: string;
}

export interface AppStatus {
  name: string;
  environment: string;
  target: string;
  source: { repo: string; ref: string; path: string };
  syncStatus: SyncStatus;
  health: Health;
  /** Revision the app runs (last applied), and the one Git declares now. */
  revision?: string;
  desiredRevision?: string;
  commitSubject?: string;
  autoSync: boolean;
  /** Drift on the target is put back by itself (`sync.selfHeal`; acts only while autoSync is on). */
  selfHeal: boolean;
  pinnedRevision?: string;
  /** With `source.verify`: the newest revision whose signatures passed, and its signer. */
  verified?: { revision: string; signer: string };
  lock?: Lock;
  lastSync?: SyncSummary;
  lastError?: { code: string; message: string; at: string };
  /**
   * The app's source could not be fetched (host unreachable, data dir unwritable, disk full):
   * what is shown is checked against the last fetched state. Cleared by the next good fetch.
   */
  sourceError?: SourceError;
  /**
   * The manifests Git declares now (at `revision`) do not render: sync status is `Unknown` and the
   * app keeps running its last good state. Cleared by the first good render (a fix in Git).
   */
  renderError?: { revision: string; message: string; issues: ValidationIssue[] };
  /**
   * What the render of the desired state left out or changed, each on its file (a helm hook
   * Wheelhouse has no counterpart for is not applied). The app syncs; a person should know.
   */
  renderWarnings?: ValidationIssue[];
  operation?: AppOperation;
  /** `dependsOn:` of the app in wheelhouse.yaml: apps that must be ready before it syncs. */
  dependsOn?: string[];
  /** An automatic sync waits for dependencies (see `AppWaiting`); cleared when it starts. */
  waiting?: AppWaiting;
  resources: ResourceStatus[];
}

/**
 * Why an app's sync waits: the dependencies that are not Synced and Healthy at its revision yet.
 * `blocked` when one of them failed (a failed sync, a Degraded health, a render error): then the
 * wait ends only when a person fixes that dependency.
 */
export interface AppWaiting {
  on: string[];
  reason: string;
  blocked: boolean;
  /** The revision the app waits to sync, and since when it waits (ISO time). */
  revision?: string;
  since: string;
  /** The sync window that holds the app (`on` is then empty), and when it closes if it is a deny window. */
  window?: string;
  until?: string;
}

export interface AppDiff {
  app: string;
  revision: string;
  changes: ResourceChange[];
  /** Unified, human-readable rendering of `changes` (secrets redacted). */
  text: string;
}

export interface SyncRequest {
  /** Pin to this revision (any ref form); absent follows the source ref and clears a pin. */
  revision?: string;
  dryRun?: boolean;
  actor: string;
  /** Sync inside a deny window (`sync --force`; the access layer lets only admins ask for it). */
  force?: boolean;
  /** Chat thread or API request id, for history and events. */
  requestId?: string;
}

export interface SyncHandle {
  operationId: string;
  /** Settles with the final record (also for a coalesced request). */
  done: Promise<SyncRecord>;
}

/**
 * The control repo as the engine follows it: the revision whose `wheelhouse.yaml` is in force, and
 * why the newest one is not (it does not parse or validate, or the ref cannot be read at all).
 */
export interface ControlStatus {
  repo: string;
  ref: string;
  /** Revision whose wheelhouse.yaml is in force; absent while none has loaded (no apps run). */
  revision?: string;
  /** Who signed `revision`, when `wheelhouse up` verifies the control repo's commits. */
  signer?: string;
  problem?: ControlProblem;
}

export interface ControlProblem {
  /** The revision that was refused; absent when the ref itself could not be resolved or read. */
  revision?: string;
  /** One paragraph: what failed, where, what stays in force and what to do. */
  message: string;
  /** Each problem with file:line:col (empty when the file could not be read at all). */
  issues: ValidationIssue[];
  since: string;
}

/** The facade. The CLI, the HTTP server and the chat commands talk only to this. */
export interface Engine {
  start(): Promise<void>;
  /** Stops reconciling; workloads keep running. */
  stop(): Promise<void>;
  readonly events: EventBus;
  /** Clear values decrypted from SOPS files so far: secrets every surface masks. */
  secretValues?(): ReadonlySet<string>;
  /** The control config currently in force (last one that validated). */
  config(): ControlConfig;
  /** Which wheelhouse.yaml is in force, and why a newer one is not (shown on every surface). */
  control(): ControlStatus;
  apps(): AppStatus[];
  status(app: string): AppStatus;
  /** Fetch the app's source now and reconcile according to its policy. */
  refresh(app: string): Promise<void>;
  /** Refresh every app whose source matches the repo URL (webhooks); returns those apps. */
  refreshRepo(url: string): Promise<string[]>;
  sync(app: string, request: SyncRequest): Promise<SyncHandle>;
  diff(app: string): Promise<AppDiff>;
  /** Renders every app a pull request's head touches and diffs it against what runs now. */
  preview?(request: PreviewRequest): Promise<PreviewReport>;
  history(app: string, limit?: number): Promise<SyncRecord[]>;
  logs(
    app: string,
    resource: string,
    options: { tail: number; follow: boolean; signal?: AbortSignal },
  ): AsyncIterable<LogLine>;
}
