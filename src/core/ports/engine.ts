import type { ControlConfig } from '../config.js';
import type { EventBus } from '../events.js';
import type { Health, SyncStatus } from '../health.js';
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
  lock?: Lock;
  lastSync?: SyncSummary;
  lastError?: { code: string; message: string; at: string };
  /**
   * The app's source could not be fetched (host unreachable, data dir unwritable, disk full):
   * what is shown is checked against the last fetched state. Cleared by the next good fetch.
   */
  sourceError?: SourceError;
  operation?: AppOperation;
  resources: ResourceStatus[];
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
  /** Chat thread or API request id, for history and events. */
  requestId?: string;
}

export interface SyncHandle {
  operationId: string;
  /** Settles with the final record (also for a coalesced request). */
  done: Promise<SyncRecord>;
}

/** The facade. The CLI, the HTTP server and the chat commands talk only to this. */
export interface Engine {
  start(): Promise<void>;
  /** Stops reconciling; workloads keep running. */
  stop(): Promise<void>;
  readonly events: EventBus;
  /** The control config currently in force (last one that validated). */
  config(): ControlConfig;
  apps(): AppStatus[];
  status(app: string): AppStatus;
  /** Fetch the app's source now and reconcile according to its policy. */
  refresh(app: string): Promise<void>;
  /** Refresh every app whose source matches the repo URL (webhooks); returns those apps. */
  refreshRepo(url: string): Promise<string[]>;
  sync(app: string, request: SyncRequest): Promise<SyncHandle>;
  diff(app: string): Promise<AppDiff>;
  history(app: string, limit?: number): Promise<SyncRecord[]>;
  logs(
    app: string,
    resource: string,
    options: { tail: number; follow: boolean; signal?: AbortSignal },
  ): AsyncIterable<LogLine>;
}
