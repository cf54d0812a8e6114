import type { CommitInfo, Health, Logger, SyncRecord } from '../core/index.js';
import type { Identity } from './identity.js';

/** What an executed action reports back to every surface (chat renders it, the API returns it). */
export interface OperationOutcome {
  ok: boolean;
  /** One sentence: what was done and how it ended. */
  summary: string;
  fields?: { label: string; value: string }[];
  /** Further lines: commits since the last sync, the change set, notes. */
  lines?: string[];
  /** A block shown as code (a diff, a log tail). */
  code?: string;
  health?: Health;
  /** The write-back commit, or the branch pushed for a protected source. */
  commit?: string;
  branch?: string;
  sync?: SyncRecord;
  commits?: CommitInfo[];
  error?: { code: string; message: string };
}

export interface OperationContext {
  /** Who the action runs as (the requester, also after someone else approved it). */
  identity: Identity;
  /** Chat message id or permalink, API request id: recorded in history and commit trailers. */
  requestId?: string;
  /** Approval request id when the action runs after approval. */
  approvalId?: string;
  approvers: readonly Identity[];
  progress(message: string): void;
  signal?: AbortSignal;
  log: Logger;
}

/**
 * One executable action (`sync`, `scale`, `lock`, ...). Arguments are plain data, because an
 * approved request is stored and run later; each operation checks the shape it receives.
 */
export interface Operation {
  readonly name: string;
  /** The app the request is about, read from its arguments. */
  app(args: Readonly<Record<string, unknown>>): string | undefined;
  /** The CI job the request is about (`jenkins/deploy`), for `jobs:` in access bindings. */
  job?(args: Readonly<Record<string, unknown>>): string | undefined;
  /** A short phrase for replies and approval requests: `scale web/web to 3`. */
  describe(args: Readonly<Record<string, unknown>>): string;
  run(ctx: OperationContext, args: Readonly<Record<string, unknown>>): Promise<OperationOutcome>;
  /** What the action would change, shown with an approval request (optional, best effort). */
  preview?(args: Readonly<Record<string, unknown>>): Promise<string | undefined>;
}

export type OperationRegistry = ReadonlyMap<string, Operation>;
