import type {
  AppStatus,
  AuditEntry,
  AuditVerification,
  ControlStatus,
  LeaseInfo,
  LogLine,
  ReplicaInfo,
  ResourceChange,
  SyncRecord,
} from '../../core/index.js';

/** The JSON shapes of the API v1 responses the client reads. */
export interface AppsResponse {
  apps: Omit<AppStatus, 'resources'>[];
  /** Which wheelhouse.yaml is in force and why a newer one is not (absent from older servers). */
  control?: ControlStatus;
}
export type AppResponse = AppStatus;
export interface DiffResponse {
  app: string;
  revision: string;
  changes: ResourceChange[];
  text: string;
}
export interface SyncAccepted {
  operationId: string;
  app: string;
  revision?: string;
  dryRun: boolean;
}
export interface HistoryResponse {
  app: string;
  syncs: SyncRecord[];
}
export interface LogsResponse {
  app: string;
  resource: string;
  lines: LogLine[];
}
export interface AuditResponse {
  entries: AuditEntry[];
}
export type VerifyResponse = AuditVerification;

export function appPath(app: string, rest = ''): string {
  return `/api/v1/apps/${encodeURIComponent(app)}${rest}`;
}

/** `GET /api/v1/replicas` (only when the server is one of several replicas on PostgreSQL). */
export interface ReplicasResponse {
  self: string;
  leaseMs: number;
  replicas: ReplicaInfo[];
  leases: LeaseInfo[];
}

/** `GET /api/v1/images` (src/wire/images.ts). */
export interface ImagesResponse {
  images: {
    app: string;
    image: string;
    rule: string;
    current?: string;
    candidate?: string;
    state: string;
    message: string;
    checkedAt?: string;
  }[];
}
