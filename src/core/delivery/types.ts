import type { HealthCode } from '../health.js';
import type { SyncResult, SyncTrigger } from '../sync.js';

/**
 * What the delivery (DORA) figures are computed from: plain records the store and Git already
 * hold. Times are ISO-8601 strings; every list may be in any order.
 */
export interface DeliveryHistory {
  apps: DeliveryApp[];
  syncs: DeliverySync[];
  /** Commits that changed each app's path (any order). */
  commits: Record<string, DeliveryCommit[]>;
  health: HealthTransition[];
  rollbacks: RollbackMark[];
}

export interface DeliveryApp {
  name: string;
  environment: string;
  /** The team (people group) that owns the app, when one is declared. */
  team?: string;
}

export interface DeliverySync {
  id: string;
  app: string;
  revision: string;
  /** Tree id of the app's path: a deployment is a sync that applies a new one. */
  digest: string;
  /**
   * The newest commit that changed the app's path and is contained in `revision` (the revision
   * itself when it changed the path). Commits up to it are what this sync delivered.
   */
  change?: string;
  actor: string;
  trigger: SyncTrigger;
  dryRun: boolean;
  result: SyncResult;
  startedAt: string;
  finishedAt?: string;
}

export interface DeliveryCommit {
  sha: string;
  /** When the change was committed (author time). */
  at: string;
  author: string;
  subject?: string;
}

/** One change of an app's health, as the engine observed it. */
export interface HealthTransition {
  app: string;
  at: string;
  from: HealthCode;
  to: HealthCode;
  message?: string;
}

/** A rollback someone asked for (chat, dashboard, CLI or API), at the time it was asked. */
export interface RollbackMark {
  app: string;
  at: string;
  actor: string;
}

export type DeliveryBucket = 'day' | 'week';

export interface DeliveryWindow {
  from: string;
  to: string;
  /** A change counts as failed when a failure follows it within this long. Default one day. */
  failureWindowMs?: number;
  bucket?: DeliveryBucket;
}

/** The four figures for a set of apps over the window. Durations in milliseconds. */
export interface DeliveryFigures {
  apps: number;
  /** Successful syncs that applied a new tree of an app's path. */
  deployments: number;
  deploymentsPerDay: number;
  leadTime: Distribution;
  changeFailure: { changes: number; failed: number; rate?: number };
  restore: Distribution & { open: number };
}

export interface Distribution {
  count: number;
  medianMs?: number;
  p90Ms?: number;
}

/** The same figures for one day or week (starting Monday, UTC). */
export interface DeliveryBucketFigures {
  start: string;
  deployments: number;
  changes: number;
  failed: number;
  leadTimeMedianMs?: number;
  restoreMedianMs?: number;
}

export interface DeliveryGroup {
  key: string;
  figures: DeliveryFigures;
  buckets: DeliveryBucketFigures[];
}

export interface DeliveryReport {
  from: string;
  to: string;
  bucket: DeliveryBucket;
  failureWindowMs: number;
  total: DeliveryGroup;
  byApp: DeliveryGroup[];
  byEnvironment: DeliveryGroup[];
  byTeam: DeliveryGroup[];
}
