import { z } from 'zod';
import { healthSchema, healthStatusSchema, syncResultSchema, syncStatusSchema } from './common.js';
import { renderErrorSchema, validationIssueSchema } from './problems.js';

export const syncSummarySchema = z.object({
  id: z.string(),
  revision: z.string(),
  result: syncResultSchema,
  actor: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});

export const lockSchema = z.object({
  app: z.string(),
  holder: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});

export const operationSchema = z.object({
  syncId: z.string(),
  startedAt: z.string(),
  step: z.string(),
  message: z.string(),
});

/** A node of a resource's tree; the API carries two levels (Deployment -> ReplicaSets -> Pods). */
const leafNodeSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  health: healthSchema,
  /** Runtime facts a driver knows (a replica: all of them). */
  pid: z.number().int().optional(),
  startedAt: z.string().optional(),
  restarts: z.number().int().optional(),
  lastExit: z.string().optional(),
  probe: z.string().optional(),
});

export const resourceNodeSchema = leafNodeSchema.extend({ children: z.array(leafNodeSchema).optional() });

export const resourceStatusSchema = z
  .object({
    key: z.string(),
    kind: z.string(),
    name: z.string(),
    syncStatus: syncStatusSchema,
    health: healthSchema,
    message: z.string().optional(),
    /** What it owns on the target (Deployment -> ReplicaSets -> Pods). */
    children: z.array(resourceNodeSchema).optional(),
  })
  .meta({ id: 'ResourceStatus' });

export const appSummarySchema = z
  .object({
    name: z.string(),
    environment: z.string(),
    target: z.string(),
    source: z.object({ repo: z.string(), ref: z.string(), path: z.string() }),
    syncStatus: syncStatusSchema,
    health: healthSchema,
    revision: z.string().optional(),
    desiredRevision: z.string().optional(),
    commitSubject: z.string().optional(),
    autoSync: z.boolean(),
    /** Drift is put back by itself (only while autoSync is on). */
    selfHeal: z.boolean(),
    pinnedRevision: z.string().optional(),
    /** With `source.verify`: the newest revision whose signatures passed, and who signed it. */
    verified: z.object({ revision: z.string(), signer: z.string() }).optional(),
    lock: lockSchema.optional(),
    lastSync: syncSummarySchema.optional(),
    lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).optional(),
    sourceError: z.object({ message: z.string(), since: z.string(), at: z.string() }).optional(),
    operation: operationSchema.optional(),
    /** The manifests at the revision Git declares do not render (sync status Unknown). */
    renderError: renderErrorSchema.optional(),
    /** What a render tool warned about (a Helm hook left out), at the revision rendered. */
    renderWarnings: z.array(validationIssueSchema).optional(),
    /** Apps that must be Synced and Healthy before this one syncs (`dependsOn:`). */
    dependsOn: z.array(z.string()).optional(),
    /** An automatic sync waiting for dependencies; `blocked` when one of them failed. */
    waiting: z
      .object({
        on: z.array(z.string()),
        reason: z.string(),
        blocked: z.boolean(),
        revision: z.string().optional(),
        since: z.string(),
        /** The sync window holding the app, and when a deny window closes. */
        window: z.string().optional(),
        until: z.string().optional(),
      })
      .optional(),
  })
  .meta({ id: 'AppSummary' });

export const appDetailSchema = appSummarySchema
  .extend({ resources: z.array(resourceStatusSchema) })
  .meta({ id: 'App' });

export const fieldChangeSchema = z.object({
  path: z.string(),
  live: z.unknown().optional(),
  desired: z.unknown().optional(),
});

export const resourceChangeSchema = z
  .object({
    key: z.string(),
    kind: z.string(),
    name: z.string(),
    action: z.enum(['created', 'configured', 'unchanged', 'deleted']),
    fields: z.array(fieldChangeSchema),
    drift: z.string().optional(),
  })
  .meta({ id: 'ResourceChange' });

export const diffSchema = z
  .object({
    app: z.string(),
    revision: z.string(),
    changes: z.array(resourceChangeSchema),
    text: z.string(),
  })
  .meta({ id: 'AppDiff' });

export const syncRecordSchema = z
  .object({
    id: z.string(),
    app: z.string(),
    revision: z.string(),
    digest: z.string(),
    actor: z.string(),
    trigger: z.enum(['auto', 'manual', 'webhook', 'self-heal', 'retry']),
    dryRun: z.boolean(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    result: syncResultSchema,
    changeSet: z.array(resourceChangeSchema),
    messages: z.array(z.string()),
    health: healthSchema.optional(),
    facts: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'SyncRecord' });

export const commitSchema = z
  .object({
    sha: z.string(),
    subject: z.string(),
    authorName: z.string(),
    authorEmail: z.string(),
    authoredAt: z.string(),
    trailers: z.record(z.string(), z.string()).optional(),
    repo: z.string(),
    apps: z.array(z.string()),
  })
  .meta({ id: 'Commit' });

/** `GET /api/v1/apps` filters and paging; without `limit` every matching app is listed. */
export const appListQuery = z.strictObject({
  environment: z.string().min(1).optional(),
  health: healthStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).optional(),
});
