import type { Health, SyncStatus } from './health.js';
import type { ResourceNode } from './resource.js';

export type ChangeAction = 'created' | 'configured' | 'unchanged' | 'deleted';

/** One field that differs between desired and live, by dotted path. */
export interface FieldChange {
  path: string;
  /** Absent when the field is added. */
  live?: unknown;
  /** Absent when the field is removed. */
  desired?: unknown;
}

export interface ResourceChange {
  key: string;
  kind: string;
  name: string;
  action: ChangeAction;
  fields: FieldChange[];
  /** Set when the driver reported drift the spec does not show. */
  drift?: string;
}

export type SyncResult = 'running' | 'succeeded' | 'failed' | 'cancelled';

export type SyncTrigger = 'auto' | 'manual' | 'webhook' | 'self-heal' | 'retry';

/** One entry of an app's sync history. */
export interface SyncRecord {
  id: string;
  app: string;
  revision: string;
  /** Tree id of the app's path at the revision. */
  digest: string;
  actor: string;
  trigger: SyncTrigger;
  dryRun: boolean;
  startedAt: string;
  finishedAt?: string;
  result: SyncResult;
  changeSet: ResourceChange[];
  /** Human-readable notes: errors, hook log tails, health messages. */
  messages: string[];
  /** Final health of the app once the sync settled. */
  health?: Health;
  /** Driver facts worth keeping (e.g. image digests for a faithful rollback). */
  facts?: Record<string, unknown>;
}

export interface ResourceStatus {
  key: string;
  kind: string;
  name: string;
  syncStatus: SyncStatus;
  health: Health;
  message?: string;
  /** What it owns on the target (Deployment -> ReplicaSets -> Pods); two levels are shown. */
  children?: ResourceNode[];
}
