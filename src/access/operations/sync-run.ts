import type { AppSpec, CommitInfo, SyncRecord, SyncRequest } from '../../core/index.js';
import { errorMessage } from '../../core/index.js';
import { shortSha } from '../../util/index.js';
import type { OperationOutcome } from '../operation.js';
import { repoOf } from './app-source.js';
import type { OperationDeps } from './deps.js';

/** Start a sync and wait for it, passing its progress on (`sync.progress` events of this operation). */
export async function runSync(
  deps: OperationDeps,
  app: string,
  request: SyncRequest,
  progress: (message: string) => void,
): Promise<SyncRecord> {
  let operation: string | undefined;
  const off = deps.engine.events.subscribe((event) => {
    if (event.type !== 'sync.progress' || event.app !== app) return;
    if (operation !== undefined && event.syncId !== operation) return;
    progress(
      event.resource
        ? `${event.step}: ${event.resource} ${event.message}`
        : `${event.step}: ${event.message}`,
    );
  });
  try {
    const handle = await deps.engine.sync(app, request);
    operation = handle.operationId;
    return await handle.done;
  } finally {
    off();
  }
}

/** Commits that touched the app's path between the previous successful sync and this one, newest first. */
export async function commitsSince(
  deps: OperationDeps,
  spec: AppSpec,
  record: SyncRecord,
  limit = 10,
): Promise<CommitInfo[]> {
  const history = await deps.engine.history(spec.name, 30);
  const previous = history.find(
    (r) => r.id !== record.id && r.result === 'succeeded' && !r.dryRun && r.startedAt <= record.startedAt,
  );
  if (previous?.revision === record.revision) return [];
  try {
    return await deps.source.log(repoOf(deps, spec), previous?.revision, record.revision, spec.path, limit);
  } catch (err) {
    deps.log.debug({ app: spec.name, err: errorMessage(err) }, 'could not list commits since the last sync');
    return [];
  }
}

function changeSummary(record: SyncRecord): string {
  const by = new Map<string, string[]>();
  for (const change of record.changeSet) {
    if (change.action === 'unchanged') continue;
    by.set(change.action, [...(by.get(change.action) ?? []), change.name]);
  }
  if (by.size === 0) return 'nothing changed on the target';
  return [...by.entries()].map(([action, names]) => `${action} ${names.join(', ')}`).join('; ');
}

/** A finished sync as an outcome: revision, commits since the last sync, change set, final health. */
export async function syncOutcome(
  deps: OperationDeps,
  spec: AppSpec,
  record: SyncRecord,
  lead: string,
  extra: Partial<OperationOutcome> = {},
): Promise<OperationOutcome> {
  const commits = await commitsSince(deps, spec, record);
  const subject = commits.find((c) => c.sha === record.revision)?.subject;
  const ok = record.result === 'succeeded';
  const health = record.health;
  const summary = ok
    ? `${lead}: ${spec.name} runs ${shortSha(record.revision)}${health ? `, ${health.status}` : ''}`
    : `${lead}: the sync of ${spec.name} to ${shortSha(record.revision)} ${record.result}${record.messages[0] ? ` — ${record.messages[0]}` : ''}`;
  const lines: string[] = [];
  if (commits.length > 0) {
    lines.push('What changed in Git since the last sync:');
    for (const c of commits) lines.push(`• ${shortSha(c.sha)} ${c.subject} — ${c.authorName}`);
  }
  return {
    ok,
    summary,
    fields: [
      { label: 'Revision', value: `${shortSha(record.revision)}${subject ? ` ${subject}` : ''}` },
      { label: 'Change set', value: changeSummary(record) },
      ...(extra.fields ?? []),
    ],
    ...(lines.length > 0 ? { lines } : {}),
    ...(!ok && record.messages.length > 0 ? { code: record.messages.join('\n') } : {}),
    ...(health ? { health } : {}),
    sync: record,
    commits,
    ...(extra.commit ? { commit: extra.commit } : {}),
    ...(!ok
      ? { error: { code: 'SYNC_FAILED', message: record.messages[0] ?? `sync ${record.result}` } }
      : {}),
  };
}
