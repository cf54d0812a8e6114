/**
 * The JSON the dashboard reads. The API's own types are inferred from its zod schemas
 * (`src/wire`, the same ones the server validates with and the OpenAPI document is built
 * from), so a change there that the dashboard does not follow fails `tsconfig.web.json`'s check.
 * Type-only imports: no server code (and no zod) reaches the bundle.
 */
import type { z } from 'zod';
import type { WheelhouseEvent } from '../../core/events.js';
import type {
  actionAwaitingSchema,
  actionSettledSchema,
  appDetailSchema,
  approvalViewSchema,
  appSummarySchema,
  blockSchema,
  chatMessageSchema,
  commandEntrySchema,
  commitSchema,
  controlStatusSchema,
  deliveryTimelineSchema,
  diffSchema,
  fieldChangeSchema,
  healthSchema,
  lockSchema,
  logLineSchema,
  metricsResponseSchema,
  operationSchema,
  previewSchema,
  replicasResponseSchema,
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
export type Preview = Wire<typeof previewSchema>;
export type SignInMethods = Wire<typeof signInMethodsSchema>;
export type SignedOut = Wire<typeof signOutSchema>;
export type ControlStatus = Wire<typeof controlStatusSchema>;
export type Replicas = Wire<typeof replicasResponseSchema>;
export type DeliveryMetrics = Wire<typeof metricsResponseSchema>;
export type DeliveryTimeline = Wire<typeof deliveryTimelineSchema>;

export type Block = Wire<typeof blockSchema>;
export type ChatMessage = Wire<typeof chatMessageSchema>;
export type CommandEntry = Wire<typeof commandEntrySchema>;
export type Approval = Wire<typeof approvalViewSchema>;
/** What `POST /api/v1/actions` answers: settled (200) or waiting for approval (202). */
export type ActionAnswer = Wire<typeof actionSettledSchema> | Wire<typeof actionAwaitingSchema>;

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

/**
 * Every event the server sends must fit `LiveEvent` (a flat view the pages read without narrowing
 * the union first): a field renamed or retyped in core fails this check in `tsconfig.web.json`.
 */
type EveryEventFits = WheelhouseEvent extends LiveEvent ? true : never;
const everyEventFits: EveryEventFits = true;
void everyEventFits;
