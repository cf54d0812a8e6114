/** The JSON the dashboard reads, as the HTTP API documents it (`/api/v1/openapi.json`). */

export interface Health {
  status: string;
  message?: string;
}

export interface SyncSummary {
  id: string;
  revision: string;
  result: string;
  actor: string;
  startedAt: string;
  finishedAt?: string;
}

export interface Lock {
  app: string;
  holder: string;
  reason: string;
  createdAt: string;
}

export interface Operation {
  syncId: string;
  startedAt: string;
  step: string;
  message: string;
}

export interface AppSummary {
  name: string;
  environment: string;
  target: string;
  source: { repo: string; ref: string; path: string };
  syncStatus: string;
  health: Health;
  revision?: string;
  desiredRevision?: string;
  commitSubject?: string;
  autoSync: boolean;
  /** Drift is put back by itself (only while autoSync is on). */
  selfHeal: boolean;
  pinnedRevision?: string;
  lock?: Lock;
  lastSync?: SyncSummary;
  lastError?: { code: string; message: string; at: string };
  sourceError?: { message: string; since: string; at: string };
  /** Git's manifests at `revision` do not render; the app runs its last good state. */
  renderError?: { revision: string; message: string };
  /** What the render left out or changed (a helm hook with no counterpart), each on its file. */
  renderWarnings?: { file: string; line: number; column: number; message: string }[];
  operation?: Operation;
}

export interface ResourceStatus {
  key: string;
  kind: string;
  name: string;
  syncStatus: string;
  health: Health;
  message?: string;
  /** What it owns on the target (Deployment -> ReplicaSets -> Pods). */
  children?: ResourceNode[];
}

export interface ResourceNode {
  kind: string;
  name: string;
  namespace?: string;
  health: Health;
  /** Runtime facts (a replica's pid, start, restarts, last exit, last probe), where known. */
  pid?: number;
  startedAt?: string;
  restarts?: number;
  lastExit?: string;
  probe?: string;
  children?: ResourceNode[];
}

export interface AppDetail extends AppSummary {
  resources: ResourceStatus[];
}

// The change set is the engine's own type: the API sends it as it is.
import type { ResourceChange } from '../../core/sync.js';

export type { FieldChange, ResourceChange } from '../../core/sync.js';

export interface AppDiff {
  app: string;
  revision: string;
  changes: ResourceChange[];
  text: string;
}

export interface SyncRecord {
  id: string;
  app: string;
  revision: string;
  digest: string;
  actor: string;
  trigger: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt?: string;
  result: string;
  changeSet: ResourceChange[];
  messages: string[];
  health?: Health;
}

export interface Commit {
  sha: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  authoredAt: string;
  trailers?: Record<string, string>;
  repo: string;
  apps: string[];
}

export interface LogLine {
  at?: string;
  stream: 'stdout' | 'stderr';
  source: string;
  text: string;
}

export interface TimelineItem {
  kind: string;
  id: string;
  at: string;
  app?: string;
  apps?: string[];
  actor?: string;
  repo?: string;
  sha?: string;
  subject?: string;
  author?: string;
  authorEmail?: string;
  syncId?: string;
  revision?: string;
  result?: string;
  trigger?: string;
  dryRun?: boolean;
  durationMs?: number;
  changes?: { created: number; configured: number; deleted: number; unchanged: number };
  health?: string;
  seq?: number;
  action?: string;
  platform?: string;
  text?: string;
  decision?: string;
}

export type Block =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'code'; text: string; language?: string }
  | { type: 'context'; text: string }
  | { type: 'buttons'; buttons: { action: string; label: string; value: string; style?: string }[] };

export interface ChatMessage {
  id: string;
  room: string;
  thread?: string;
  author: string;
  bot: boolean;
  text: string;
  message?: { text: string; blocks: Block[]; status?: string };
  status?: string;
  createdAt: string;
  updatedAt: string;
}

export interface CommandEntry {
  name: string;
  aliases: string[];
  group: string;
  usage: string;
  summary: string;
  permission?: string;
  examples: string[];
}

export interface Approval {
  id: string;
  app: string;
  environment: string;
  command: string;
  args: Record<string, unknown>;
  text: string;
  requester: string;
  required: number;
  createdAt: string;
  expiresAt: string;
  status: string;
  decisions: { actor: string; decision: string; at: string; reason?: string }[];
  preview?: string;
  approvals: number;
  mayDecide: boolean;
  mine: boolean;
}

export interface Session {
  user: string;
  actor: string;
  via: string;
  csrfToken?: string;
  expiresAt?: string;
}

/** What `POST /api/v1/actions` answers. */
export type ActionAnswer =
  | {
      status: 'done' | 'failed';
      outcome: { ok: boolean; summary: string; commit?: string; details?: string[] };
    }
  | {
      status: 'awaiting-approval';
      approval: { id: string; required: number; expiresAt: string };
      approvers: string[];
    };

/** One server-sent event (the `data:` of `/api/v1/events`). */
export interface LiveEvent {
  type: string;
  id: number;
  at: string;
  app?: string;
  apps?: string[];
  syncId?: string;
  step?: string;
  message?: string;
  revision?: string;
  result?: string;
  actor?: string;
  room?: string;
  messageId?: string;
  thread?: string;
  updated?: boolean;
  entry?: { app?: string; action?: string };
}
