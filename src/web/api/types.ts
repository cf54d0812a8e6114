/**
 * The JSON the dashboard reads. The API's own types are inferred from its zod schemas
 * (`src/wire`, the same ones the server validates with and the OpenAPI document is built
 * from), so a change there that the dashboard does not follow fails `tsconfig.web.json`'s check.
 * Type-only imports: no server code (and no zod) reaches the bundle.
 */
import type { z } from 'zod';
import type {
  appDetailSchema,
  appSummarySchema,
  commitSchema,
  controlStatusSchema,
  diffSchema,
  fieldChangeSchema,
  healthSchema,
  lockSchema,
  logLineSchema,
  operationSchema,
  resourceChangeSchema,
  resourceNodeSchema,
  resourceStatusSchema,
  sessionSchema,
  signInMethodsSchema,
  signOutSchema,
  syncRecordSchema,
  syncSummarySchema,
  timelineItemSchema,
} from '../../wire/index.js';

/**
 * What a schema's answer is once it went through JSON: keys a schema marks optional are absent or
 * set, never `undefined` (JSON has none), which is what `exactOptionalPropertyTypes` code expects.
 */
type Parsed<T> = T extends readonly (infer U)[]
  ? Parsed<U>[]
  : T extends object
    ? { [K in keyof T]: Parsed<Exclude<T[K], undefined>> }
    : T;
type Wire<S extends z.ZodType> = Parsed<z.output<S>>;

export type Health = Wire<typeof healthSchema>;
export type SyncSummary = Wire<typeof syncSummarySchema>;
export type Lock = Wire<typeof lockSchema>;
export type Operation = Wire<typeof operationSchema>;
export type AppSummary = Wire<typeof appSummarySchema>;
export type ResourceStatus = Wire<typeof resourceStatusSchema>;
export type ResourceNode = Wire<typeof resourceNodeSchema>;
export type AppDetail = Wire<typeof appDetailSchema>;
export type FieldChange = Wire<typeof fieldChangeSchema>;
export type ResourceChange = Wire<typeof resourceChangeSchema>;
export type AppDiff = Wire<typeof diffSchema>;
export type SyncRecord = Wire<typeof syncRecordSchema>;
export type Commit = Wire<typeof commitSchema>;
export type LogLine = Wire<typeof logLineSchema>;
export type TimelineItem = Wire<typeof timelineItemSchema>;
export type Session = Wire<typeof sessionSchema>;
export type SignInMethods = Wire<typeof signInMethodsSchema>;
export type SignedOut = Wire<typeof signOutSchema>;
export type ControlStatus = Wire<typeof controlStatusSchema>;

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
