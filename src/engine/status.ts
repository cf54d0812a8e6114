import {
  type AppStatus,
  formatIssue,
  type ResourceStatus,
  type SyncRecord,
  type SyncSummary,
  type ValidationIssue,
  WheelhouseError,
} from '../core/index.js';
import type { AppRuntime } from './runtime.js';

/** The app as the API, chat and UI show it: all from memory. */
export function appStatus(rt: AppRuntime): AppStatus {
  const status: AppStatus = {
    name: rt.spec.name,
    environment: rt.spec.environment,
    target: rt.spec.target,
    source: { repo: rt.spec.source.repo, ref: rt.spec.source.ref, path: rt.spec.path },
    syncStatus: rt.syncStatus,
    health: rt.health,
    autoSync: rt.spec.sync.auto,
    selfHeal: rt.spec.sync.selfHeal,
    resources: resourceStatuses(rt),
  };
  if (rt.state.lastGoodRevision) status.revision = rt.state.lastGoodRevision;
  if (rt.declared) status.desiredRevision = rt.declared.revision;
  if (rt.state.pinnedRevision) status.pinnedRevision = rt.state.pinnedRevision;
  if (rt.spec.source.verify && rt.state.verified) status.verified = { ...rt.state.verified };
  if (rt.lock) status.lock = rt.lock;
  if (rt.lastSync) status.lastSync = summary(rt.lastSync);
  if (rt.state.lastError) status.lastError = rt.state.lastError;
  if (rt.sourceError) status.sourceError = { ...rt.sourceError };
  if (rt.renderError) {
    const { revision, message, issues } = rt.renderError;
    status.renderError = { revision, message, issues: [...issues] };
  }
  if (rt.renderWarnings) status.renderWarnings = rt.renderWarnings.map((w) => ({ ...w }));
  if (rt.spec.problem) {
    const error = appProblemError(rt.spec.name, rt.spec.problem);
    status.syncStatus = 'Unknown';
    status.health = { status: 'Unknown', message: `not managed: ${rt.spec.problem.path} has errors` };
    status.lastError = { code: error.code, message: error.message, at: rt.problemSince ?? '' };
  }
  if (rt.operation) status.operation = { ...rt.operation };
  if (rt.spec.dependsOn) status.dependsOn = [...rt.spec.dependsOn];
  if (rt.waiting) status.waiting = { ...rt.waiting.wait, on: [...rt.waiting.wait.on] };
  return status;
}

export function summary(record: SyncRecord): SyncSummary {
  const out: SyncSummary = {
    id: record.id,
    revision: record.revision,
    result: record.result,
    actor: record.actor,
    startedAt: record.startedAt,
  };
  if (record.finishedAt) out.finishedAt = record.finishedAt;
  return out;
}

function resourceStatuses(rt: AppRuntime): ResourceStatus[] {
  const live = new Map(rt.live.map((l) => [l.key, l]));
  const changes = new Map(rt.changes.map((c) => [c.key, c]));
  const desiredByKey = new Map((rt.desired?.resources ?? []).map((r) => [r.key, r]));
  const keys = new Set([...desiredByKey.keys(), ...live.keys()]);
  const out: ResourceStatus[] = [];
  for (const key of [...keys].sort()) {
    const desired = desiredByKey.get(key);
    const observed = live.get(key);
    const change = changes.get(key);
    const item: ResourceStatus = {
      key,
      kind: desired?.kind ?? observed?.kind ?? 'Unknown',
      name: desired?.metadata.name ?? observed?.name ?? key,
      syncStatus: !change
        ? rt.desired
          ? 'Synced'
          : 'Unknown'
        : change.action === 'unchanged'
          ? 'Synced'
          : 'OutOfSync',
      health: observed?.health ?? { status: 'Missing', message: 'not created yet' },
    };
    const message = change?.drift ?? observed?.health.message;
    if (message) item.message = message;
    if (observed?.children && observed.children.length > 0) item.children = observed.children;
    out.push(item);
  }
  return out;
}

/** Why an app whose entry in wheelhouse.yaml cannot be used is not managed, and how to fix it. */
export function appProblemError(app: string, problem: ValidationIssue): WheelhouseError {
  return new WheelhouseError(
    'CONFIG_INVALID',
    `app ${app} is not managed: ${formatIssue(problem)}; fix it in wheelhouse.yaml and commit (every other app is managed as usual; removing the app works too)`,
    { details: { app, file: problem.file, path: problem.path } },
  );
}
