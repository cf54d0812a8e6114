import { hostname } from 'node:os';
import {
  type AuditEntry,
  type ChatAdapter,
  type ChatMessage,
  type EventBus,
  errorMessage,
  type Logger,
  type MessageRef,
  type Store,
} from '../core/index.js';
import { type ProcessIdentity, processGone, shortSha } from '../util/index.js';
import { appendAudit } from './audit.js';

export interface SettleDeps {
  store: Store;
  events?: EventBus;
  log: Logger;
  /** The commit whose `Wheelhouse-Request` trailer names this request, if one reached Git. */
  findCommit(requestId: string): Promise<string | undefined>;
  /** The started chat adapter of a platform, to edit a reply left saying "applying". */
  adapter(platform: string): ChatAdapter | undefined;
  /** How many of the newest audit entries to look through (default 5,000). */
  scanLimit?: number;
  /** When another machine's pending request counts as interrupted (default 6 h). */
  otherHostAfterMs?: number;
  now?: () => Date;
}

const PAGE = 500;

/**
 * At start-up: an action's intent entry (written before it ran) without an outcome entry means
 * the process died while it ran. Each such entry is completed as `interrupted`, naming the commit
 * when Git has one carrying its request id (then the engine applies it like any commit), and the
 * chat reply that still says "applying" is edited to say what happened. Only the newest
 * `scanLimit` entries are read: a crash is settled by the very next start. An intent is settled
 * only when the process that wrote it is certainly gone (same machine, pid not running or reused)
 * or, written on another machine, it is older than `otherHostAfterMs`: replicas sharing a
 * PostgreSQL store do not settle each other's running requests.
 */
export async function settleInterrupted(deps: SettleDeps): Promise<AuditEntry[]> {
  const limit = deps.scanLimit ?? 5_000;
  const now = (deps.now ?? (() => new Date()))();
  const otherHostAfterMs = deps.otherHostAfterMs ?? 6 * 60 * 60 * 1000;
  const intents: AuditEntry[] = [];
  const completed = new Set<number>();
  let before: number | undefined;
  for (let read = 0; read < limit; read += PAGE) {
    const page = await deps.store.listAudit({ limit: PAGE, ...(before !== undefined ? { before } : {}) });
    for (const entry of page) {
      const details = entry.details ?? {};
      if (details.phase === 'intent') intents.push(entry);
      if (typeof details.intentSeq === 'number') completed.add(details.intentSeq);
    }
    if (page.length < PAGE) break;
    before = page[0]?.seq;
  }
  // Another replica's request may still be running: settle only what a dead process left.
  const stale = intents
    .filter((entry) => !completed.has(entry.seq) && ranInDeadProcess(entry, now, otherHostAfterMs))
    .sort((a, b) => a.seq - b.seq);
  const settled: AuditEntry[] = [];
  for (const intent of stale) {
    const requestId = typeof intent.details?.requestId === 'string' ? intent.details.requestId : undefined;
    const commit = requestId
      ? await deps.findCommit(requestId).catch((err: unknown) => {
          deps.log.warn(
            { err: errorMessage(err), requestId },
            'could not look for an interrupted request in Git',
          );
          return undefined;
        })
      : undefined;
    const what = (intent.result ?? '').replace(/^pending: /, '');
    const result = commit
      ? `interrupted: Wheelhouse stopped while running ${what}; its commit ${shortSha(commit)} is in Git, and the engine applies it like any other commit`
      : `interrupted: Wheelhouse stopped while running ${what}; nothing reached Git, so ask again`;
    const entry = await appendAudit(deps.store, deps.events, {
      actor: intent.actor,
      action: intent.action,
      ...(intent.app ? { app: intent.app } : {}),
      ...(intent.platform ? { platform: intent.platform } : {}),
      ...(intent.channel ? { channel: intent.channel } : {}),
      ...(intent.text ? { text: intent.text } : {}),
      decision: 'allowed',
      result,
      details: {
        phase: 'interrupted',
        intentSeq: intent.seq,
        ...(requestId ? { requestId } : {}),
        ...(commit ? { commit } : {}),
      },
    });
    settled.push(entry);
    deps.log.warn(
      { seq: intent.seq, action: intent.action, commit },
      'settled a request interrupted by a stop',
    );
    await editReply(deps, intent.details?.reply, result, commit);
  }
  return settled;
}

async function editReply(deps: SettleDeps, ref: unknown, result: string, commit: string | undefined) {
  if (!isMessageRef(ref)) return;
  const adapter = deps.adapter(ref.platform);
  if (!adapter) return;
  const message: ChatMessage = {
    text: result,
    blocks: [{ type: 'text', text: result }],
    status: commit ? 'done' : 'failed',
  };
  await adapter.update(ref, message).catch((err: unknown) => {
    deps.log.warn({ platform: ref.platform, err: errorMessage(err) }, 'could not edit an interrupted reply');
  });
}

function ranInDeadProcess(entry: AuditEntry, now: Date, otherHostAfterMs: number): boolean {
  const who = entry.details?.runner as Partial<ProcessIdentity> | null | undefined;
  if (typeof who?.host !== 'string' || typeof who.pid !== 'number') return true; // no runner recorded
  // Another machine's process cannot be looked at (a replica, or this one before its container was
  // recreated under a new hostname): its request is settled once it is older than any could run.
  if (who.host !== hostname()) return now.getTime() - Date.parse(entry.at) > otherHostAfterMs;
  return processGone({
    host: who.host,
    pid: who.pid,
    ...(typeof who.startTime === 'string' ? { startTime: who.startTime } : {}),
  });
}

function isMessageRef(value: unknown): value is MessageRef {
  const ref = value as Partial<MessageRef> | null;
  return typeof ref?.platform === 'string' && typeof ref.channel === 'string' && typeof ref.id === 'string';
}
