import type { Generated } from 'kysely';

/**
 * The tables as kysely sees them, identical in both dialects. Times are UTC ISO-8601 text with
 * milliseconds (`Date#toISOString`), so text order is time order; JSON is stored as text;
 * booleans are 0/1 integers (better-sqlite3 binds no booleans).
 */
export interface Database {
  wheelhouse_migrations: MigrationRow;
  syncs: SyncRow;
  audit: AuditRow;
  approvals: ApprovalRow;
  locks: LockRow;
  users: UserRow;
  chat_messages: ChatMessageRow;
  app_state: AppStateRow;
  deliveries: DeliveryRow;
  web_sessions: WebSessionRow;
  health_transitions: HealthTransitionRow;
  previews: PreviewRow;
}

export interface MigrationRow {
  version: number;
  name: string;
  applied_at: string;
}

export interface SyncRow {
  /** Insertion order: the tie-breaker when two syncs start at the same instant. */
  pos: Generated<number>;
  id: string;
  app: string;
  revision: string;
  digest: string;
  actor: string;
  sync_trigger: string;
  dry_run: number;
  started_at: string;
  finished_at: string | null;
  result: string;
  change_set: string;
  messages: string;
  health: string | null;
  facts: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  app: string | null;
  platform: string | null;
  channel: string | null;
  text: string | null;
  decision: string | null;
  result: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface ApprovalRow {
  id: string;
  app: string;
  environment: string;
  command: string;
  args: string;
  text: string;
  requester: string;
  required: number;
  created_at: string;
  expires_at: string;
  status: string;
  decisions: string;
  origin: string | null;
  preview: string | null;
  /** Bumped by every decision: the optimistic-concurrency guard. */
  version: number;
}

export interface LockRow {
  app: string;
  holder: string;
  reason: string;
  created_at: string;
}

export interface UserRow {
  name: string;
  token_hash: string;
  created_at: string;
}

export interface ChatMessageRow {
  /** Insertion order: messages are listed and paginated by it. */
  pos: Generated<number>;
  id: string;
  room: string;
  thread: string | null;
  author: string;
  bot: number;
  text: string;
  body: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppStateRow {
  app: string;
  /** The AppState without `app`, as JSON (inventory included). */
  data: string;
  updated_at: string;
}

export interface DeliveryRow {
  source: string;
  id: string;
  at: string;
}

export interface WebSessionRow {
  /** sha256 of the cookie's session id. */
  id_hash: string;
  user_name: string;
  /** sha256 of the token the session was exchanged for. */
  token_hash: string;
  created_at: string;
  expires_at: string;
}

export interface HealthTransitionRow {
  /** Insertion order: the tie-breaker when two changes share an instant. */
  pos: Generated<number>;
  app: string;
  at: string;
  from_health: string;
  to_health: string;
  message: string | null;
}

export interface PreviewRow {
  id: string;
  url: string | null;
  title: string | null;
  /** The report as JSON (masked before it is stored). */
  report: string;
  updated_at: string;
}
