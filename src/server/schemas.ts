/**
 * JSON schemas of the API's bodies. Routes use them to validate requests and serialize responses,
 * and the OpenAPI document is generated from the routes, so what is documented is what is served.
 */

import { renderErrorSchema, validationIssueSchema } from './problem-schemas.js';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
const anyValue = {} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: str, message: str, details: { type: 'object', additionalProperties: true } },
    },
  },
} as const;

export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: {
      type: 'string',
      enum: ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'],
    },
    message: str,
  },
} as const;

export const syncStatusSchema = { type: 'string', enum: ['Synced', 'OutOfSync', 'Unknown'] } as const;

export const syncResultSchema = {
  type: 'string',
  enum: ['running', 'succeeded', 'failed', 'cancelled'],
} as const;

export const syncSummarySchema = {
  type: 'object',
  required: ['id', 'revision', 'result', 'actor', 'startedAt'],
  properties: {
    id: str,
    revision: str,
    result: syncResultSchema,
    actor: str,
    startedAt: str,
    finishedAt: str,
  },
} as const;

export const lockSchema = {
  type: 'object',
  required: ['app', 'holder', 'reason', 'createdAt'],
  properties: { app: str, holder: str, reason: str, createdAt: str },
} as const;

const appErrorSchema = {
  type: 'object',
  required: ['code', 'message', 'at'],
  properties: { code: str, message: str, at: str },
} as const;

const operationSchema = {
  type: 'object',
  required: ['syncId', 'startedAt', 'step', 'message'],
  properties: { syncId: str, startedAt: str, step: str, message: str },
} as const;

/** What every tree node carries: its identity, health and the runtime facts a driver knows. */
const nodeProperties = {
  kind: str,
  name: str,
  namespace: str,
  health: healthSchema,
  pid: int,
  startedAt: str,
  restarts: int,
  lastExit: str,
  probe: str,
} as const;

/** A node of a resource's tree; the API carries two levels (Deployment -> ReplicaSets -> Pods). */
const leafNodeSchema = {
  type: 'object',
  required: ['kind', 'name', 'health'],
  properties: nodeProperties,
} as const;

const resourceNodeSchema = {
  type: 'object',
  required: ['kind', 'name', 'health'],
  properties: { ...nodeProperties, children: { type: 'array', items: leafNodeSchema } },
} as const;

export const resourceStatusSchema = {
  type: 'object',
  required: ['key', 'kind', 'name', 'syncStatus', 'health'],
  properties: {
    key: str,
    kind: str,
    name: str,
    syncStatus: syncStatusSchema,
    health: healthSchema,
    message: str,
    children: { type: 'array', items: resourceNodeSchema },
  },
} as const;

const appProperties = {
  name: str,
  environment: str,
  target: str,
  source: {
    type: 'object',
    required: ['repo', 'ref', 'path'],
    properties: { repo: str, ref: str, path: str },
  },
  syncStatus: syncStatusSchema,
  health: healthSchema,
  revision: str,
  desiredRevision: str,
  commitSubject: str,
  autoSync: bool,
  selfHeal: bool,
  pinnedRevision: str,
  lock: lockSchema,
  lastSync: syncSummarySchema,
  lastError: appErrorSchema,
  sourceError: {
    type: 'object',
    required: ['message', 'since', 'at'],
    properties: { message: str, since: str, at: str },
  },
  operation: operationSchema,
  renderError: renderErrorSchema,
  renderWarnings: { type: 'array', items: validationIssueSchema },
} as const;

const appRequired = ['name', 'environment', 'target', 'source', 'syncStatus', 'health', 'autoSync'] as const;

export const appSummarySchema = {
  type: 'object',
  required: appRequired,
  properties: appProperties,
} as const;

export const appDetailSchema = {
  type: 'object',
  required: [...appRequired, 'resources'],
  properties: { ...appProperties, resources: { type: 'array', items: resourceStatusSchema } },
} as const;

const fieldChangeSchema = {
  type: 'object',
  required: ['path'],
  properties: { path: str, live: anyValue, desired: anyValue },
} as const;

export const resourceChangeSchema = {
  type: 'object',
  required: ['key', 'kind', 'name', 'action', 'fields'],
  properties: {
    key: str,
    kind: str,
    name: str,
    action: { type: 'string', enum: ['created', 'configured', 'unchanged', 'deleted'] },
    fields: { type: 'array', items: fieldChangeSchema },
    drift: str,
  },
} as const;

export const diffSchema = {
  type: 'object',
  required: ['app', 'revision', 'changes', 'text'],
  properties: { app: str, revision: str, changes: { type: 'array', items: resourceChangeSchema }, text: str },
} as const;

export const syncRecordSchema = {
  type: 'object',
  required: [
    'id',
    'app',
    'revision',
    'digest',
    'actor',
    'trigger',
    'dryRun',
    'startedAt',
    'result',
    'changeSet',
    'messages',
  ],
  properties: {
    id: str,
    app: str,
    revision: str,
    digest: str,
    actor: str,
    trigger: { type: 'string', enum: ['auto', 'manual', 'webhook', 'self-heal', 'retry'] },
    dryRun: bool,
    startedAt: str,
    finishedAt: str,
    result: syncResultSchema,
    changeSet: { type: 'array', items: resourceChangeSchema },
    messages: { type: 'array', items: str },
    health: healthSchema,
    facts: { type: 'object', additionalProperties: true },
  },
} as const;

export const logLineSchema = {
  type: 'object',
  required: ['stream', 'source', 'text'],
  properties: { at: str, stream: { type: 'string', enum: ['stdout', 'stderr'] }, source: str, text: str },
} as const;

export const auditEntrySchema = {
  type: 'object',
  required: ['seq', 'at', 'actor', 'action', 'prevHash', 'hash'],
  properties: {
    seq: int,
    at: str,
    actor: str,
    action: str,
    app: str,
    platform: str,
    channel: str,
    text: str,
    decision: {
      type: 'string',
      enum: ['allowed', 'refused', 'awaiting-approval', 'approved', 'denied', 'expired'],
    },
    result: str,
    details: { type: 'object', additionalProperties: true },
    prevHash: str,
    hash: str,
  },
} as const;

export const auditVerificationSchema = {
  type: 'object',
  required: ['ok', 'checked'],
  properties: {
    ok: bool,
    checked: int,
    firstBroken: { type: 'object', required: ['seq', 'reason'], properties: { seq: int, reason: str } },
  },
} as const;

/** Route params shared by every `/apps/{app}` route. */
/** `?limit=N` for an app's lists (history, commits): newest first, 50 by default. */
export const limitQuery = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  additionalProperties: false,
} as const;

export const appParams = {
  type: 'object',
  required: ['app'],
  properties: {
    app: { type: 'string', minLength: 1, maxLength: 253, description: 'app name from wheelhouse.yaml' },
  },
} as const;

/** Names of the schemas the OpenAPI document lists under `components.schemas` (matched by identity). */
export const namedSchemas: ReadonlyMap<object, string> = new Map<object, string>([
  [errorSchema, 'Error'],
  [appSummarySchema, 'AppSummary'],
  [appDetailSchema, 'App'],
  [diffSchema, 'AppDiff'],
  [syncRecordSchema, 'SyncRecord'],
  [auditEntrySchema, 'AuditEntry'],
  [auditVerificationSchema, 'AuditVerification'],
  [logLineSchema, 'LogLine'],
  [resourceChangeSchema, 'ResourceChange'],
  [resourceStatusSchema, 'ResourceStatus'],
  [healthSchema, 'Health'],
]);
