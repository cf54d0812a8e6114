import type { AuditEntry, AuditInput, ControlConfig, Engine, Logger, Store } from '../core/index.js';
import type { CommitLog } from './commit-log.js';
import type { ServerMetrics } from './metrics.js';
import type { RedactValue } from './redaction.js';
import type { StreamRegistry } from './sse.js';
import type { StreamQuota } from './stream-quota.js';

/** A mutating request about to run, for an access check. */
export interface MutationRequest {
  /** `api:<user>` */
  actor: string;
  user: string;
  action: 'sync' | 'refresh';
  app: string;
  args: Record<string, unknown>;
}

/**
 * Decides whether a mutating API call may run (the access policy, locks, approvals). Throws a
 * WheelhouseError (FORBIDDEN, LOCKED, APPROVAL_REQUIRED) to refuse; resolves to allow.
 */
export type MutationGuard = (request: MutationRequest) => Promise<void>;

/** What every route plugin gets. */
export interface ServerContext {
  engine: Engine;
  store: Store;
  log: Logger;
  /** The config in force, or undefined while none has loaded. */
  config(): ControlConfig | undefined;
  env: Readonly<Record<string, string | undefined>>;
  redact: RedactValue;
  streams: StreamRegistry;
  /** Open `logs?follow=1` streams, capped per user and in all. */
  logStreams: StreamQuota;
  metrics: ServerMetrics;
  heartbeatMs: number;
  guard?: MutationGuard;
  /** Commit history and subjects, when the server was given the source (`ServerDeps.source`). */
  commits?: CommitLog;
  /** Appends to the audit log and announces it (`audit.appended`). */
  audit(input: AuditInput): Promise<AuditEntry>;
}
