import type { HealthTransition } from '../delivery/types.js';
import type { PreviewRecord } from '../preview.js';
import type {
  Approval,
  ApprovalDecision,
  ApprovalStatus,
  AppState,
  AuditEntry,
  AuditInput,
  AuditVerification,
  Lock,
  StoredChatMessage,
  User,
  WebSession,
} from '../records.js';
import type { SyncRecord } from '../sync.js';

export interface Page {
  limit?: number;
  /** Return entries older than this cursor (an id or seq, per method). */
  before?: string | number;
}

/**
 * Durable state. Implementations: `src/store/sqlite` (embedded default) and `src/store/postgres`,
 * both written once with kysely. Every method is async so a remote database fits the same port.
 */
export interface Store {
  // sync history
  insertSync(record: SyncRecord): Promise<void>;
  updateSync(record: SyncRecord): Promise<void>;
  getSync(id: string): Promise<SyncRecord | undefined>;
  listSyncs(app: string, page?: Page): Promise<SyncRecord[]>;
  /**
   * The `facts` of the app's succeeded, not dry-run syncs of `digest` among its `recent` newest
   * syncs, newest first (what a driver recorded for the desired state it is asked to apply again).
   */
  listSyncFacts(app: string, digest: string, recent: number): Promise<Record<string, unknown>[]>;
  /** Syncs still `running` (left by a crash), for resume at start. */
  listRunningSyncs(): Promise<SyncRecord[]>;

  // audit (append-only, hash-chained)
  appendAudit(input: AuditInput): Promise<AuditEntry>;
  listAudit(filter?: { app?: string; actor?: string; afterSeq?: number } & Page): Promise<AuditEntry[]>;
  verifyAudit(): Promise<AuditVerification>;

  // approvals
  insertApproval(approval: Approval): Promise<void>;
  getApproval(id: string): Promise<Approval | undefined>;
  listApprovals(filter?: { status?: ApprovalStatus; app?: string }): Promise<Approval[]>;
  /** Adds a decision and sets the status atomically; refuses a changed status (optimistic). */
  decideApproval(
    id: string,
    expected: ApprovalStatus,
    status: ApprovalStatus,
    decision?: ApprovalDecision,
  ): Promise<Approval>;

  // locks
  getLock(app: string): Promise<Lock | undefined>;
  listLocks(): Promise<Lock[]>;
  /** Takes the lock; resolves to the existing lock when someone else holds it. */
  acquireLock(lock: Lock): Promise<{ acquired: boolean; lock: Lock }>;
  releaseLock(app: string): Promise<boolean>;

  // people's API tokens (stored as hashes)
  createUser(name: string, tokenHash: string): Promise<User>;
  findUserByTokenHash(tokenHash: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  removeUser(name: string): Promise<boolean>;

  // dashboard sessions (optional: a store without them leaves the server to keep sessions in memory)
  insertSession?(session: WebSession): Promise<void>;
  getSession?(idHash: string): Promise<WebSession | undefined>;
  /** Deletes one session (sign-out); false when there was none. */
  deleteSession?(idHash: string): Promise<boolean>;
  /** Deletes the sessions past their expiry at `now` (ISO-8601); returns how many. */
  deleteExpiredSessions?(now: string): Promise<number>;

  // built-in chat
  insertChatMessage(message: StoredChatMessage): Promise<void>;
  updateChatMessage(id: string, patch: Pick<StoredChatMessage, 'text' | 'body' | 'updatedAt'>): Promise<void>;
  getChatMessage(id: string): Promise<StoredChatMessage | undefined>;
  listChatMessages(
    room: string,
    filter?: { thread?: string; afterId?: string } & Page,
  ): Promise<StoredChatMessage[]>;
  listChatRooms(): Promise<string[]>;

  // engine state
  getAppState(app: string): Promise<AppState | undefined>;
  putAppState(state: AppState): Promise<void>;

  // health history (time to restore, change failure)
  /** Stores a pull request's newest preview, replacing the one stored under its id. */
  savePreview(preview: PreviewRecord): Promise<void>;
  getPreview(id: string): Promise<PreviewRecord | undefined>;
  /** Newest first. */
  listPreviews(filter?: { limit?: number }): Promise<PreviewRecord[]>;
  recordHealthTransition(transition: HealthTransition): Promise<void>;
  /** Oldest first, `from` inclusive and `to` exclusive (ISO-8601); at most `limit` (default all). */
  listHealthTransitions(filter?: {
    app?: string;
    from?: string;
    to?: string;
    limit?: number;
  }): Promise<HealthTransition[]>;

  /** Records a delivery id; false when it was seen before (webhooks, chat retries). */
  markDelivered(source: string, id: string): Promise<boolean>;

  close(): Promise<void>;
}
