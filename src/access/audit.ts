import type { AuditDecision, AuditEntry, AuditInput, EventBus, Store } from '../core/index.js';

export interface CommandAudit {
  actor: string;
  command: string;
  app?: string;
  platform: string;
  channel?: string;
  /** The request as written; redacted by the caller. */
  text: string;
  decision: AuditDecision;
  result?: string;
  details?: Record<string, unknown>;
}

/** The result of an intent entry written before an action runs; its outcome entry follows. */
export const PENDING_RESULT = 'pending';

/** Append to the audit log and announce it (`audit.appended`, for the dashboard's timeline). */
export async function appendAudit(
  store: Store,
  events: EventBus | undefined,
  input: AuditInput,
): Promise<AuditEntry> {
  const entry = await store.appendAudit(input);
  events?.publish({ type: 'audit.appended', entry });
  return entry;
}

/** Append one command to the hash-chained audit log (action `command.<name>`). */
export function auditCommand(store: Store, entry: CommandAudit, events?: EventBus): Promise<AuditEntry> {
  return appendAudit(store, events, {
    actor: entry.actor,
    action: `command.${entry.command}`,
    ...(entry.app ? { app: entry.app } : {}),
    platform: entry.platform,
    ...(entry.channel ? { channel: entry.channel } : {}),
    text: entry.text,
    decision: entry.decision,
    ...(entry.result !== undefined ? { result: entry.result } : {}),
    ...(entry.details ? { details: entry.details } : {}),
  });
}
