/** Records the store keeps besides sync history: audit, approvals, locks, users, chat, app state. */

export type AuditDecision = 'allowed' | 'refused' | 'awaiting-approval' | 'approved' | 'denied' | 'expired';

/** What a caller appends; the store adds `seq`, `at`, `prevHash` and `hash`. */
export interface AuditInput {
  actor: string;
  /** What was done: `command.sync`, `api.sync`, `lock`, `approval.decided`, ... */
  action: string;
  app?: string;
  platform?: string;
  channel?: string;
  /** The request as the person wrote it (redacted). */
  text?: string;
  decision?: AuditDecision;
  result?: string;
  details?: Record<string, unknown>;
}

/** An append-only, hash-chained audit entry. */
export interface AuditEntry extends AuditInput {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first entry whose hash or link does not hold, and why. */
  firstBroken?: { seq: number; reason: string };
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'executed' | 'failed';

export interface ApprovalDecision {
  actor: string;
  decision: 'approve' | 'deny';
  at: string;
  reason?: string;
}

export interface ChatOrigin {
  platform: string;
  channel: string;
  thread?: string;
  messageId?: string;
  /** The bot's reply to the request (updated when the request is decided). */
  replyId?: string;
}

export interface Approval {
  id: string;
  app: string;
  environment: string;
  command: string;
  /** The parsed command arguments to run once approved. */
  args: Record<string, unknown>;
  /** The text as requested, for display. */
  text: string;
  requester: string;
  required: number;
  createdAt: string;
  expiresAt: string;
  status: ApprovalStatus;
  decisions: ApprovalDecision[];
  origin?: ChatOrigin;
  /** What it would change (a diff summary), for the inbox. */
  preview?: string;
}

export interface Lock {
  app: string;
  holder: string;
  reason: string;
  createdAt: string;
}

export interface User {
  name: string;
  createdAt: string;
}

/** A dashboard sign-in: a session cookie exchanged for a personal (or the admin) token. */
export interface WebSession {
  /** sha256 of the session id (the cookie's value); the id itself is never stored. */
  idHash: string;
  user: string;
  /** sha256 of the token signed in with: the session ends when that token is removed or replaced. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
}

export interface StoredChatMessage {
  id: string;
  room: string;
  /** Id of the thread's first message; absent for a top-level message. */
  thread?: string;
  author: string;
  /** True for messages Wheelhouse itself wrote. */
  bot: boolean;
  text: string;
  /** Platform-neutral rich content (see `ChatMessage` in ports/chat). */
  body?: unknown;
  createdAt: string;
  updatedAt: string;
}

/** What the engine must remember across restarts for each app. */
export interface AppState {
  app: string;
  /** Set by a sync to an explicit revision; cleared by the next sync without one. */
  pinnedRevision?: string;
  /** Last revision and digest applied successfully. */
  lastGoodRevision?: string;
  lastGoodDigest?: string;
  /** An operation that was running when the engine stopped (resumed at start). */
  pendingSyncId?: string;
  lastError?: { code: string; message: string; at: string };
  /** The newest revision whose signatures passed the source's `verify:` check, and who signed it. */
  verified?: { revision: string; signer: string };
  /** Keys of the resources this app owns on its target (the inventory, for prune). */
  inventory: string[];
  /** `CIJob` hooks by resource key: the last run of each (they live on no target). */
  ciJobs?: Record<string, CiJobRun>;
}

/** The last run of one `CIJob` hook. */
export interface CiJobRun {
  /** The app digest it last succeeded for (a hook runs once per digest); absent: never succeeded. */
  digest?: string;
  /** The spec it ran with (shown as the live spec). */
  spec: Record<string, unknown>;
  outcome: 'success' | 'failure' | 'cancelled' | 'timeout';
  build: string;
  url?: string;
  console: string[];
  at: string;
}
