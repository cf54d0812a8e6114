import type { AuditDecision, AuditEntry, AuditInput, AuditVerification, Page } from '../core/index.js';
import { errorMessage } from '../core/index.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
import type { StoreContext } from './context.js';
import { badRequest, guard } from './errors.js';
import type { AuditRow } from './schema.js';
import { fromJson, pageLimit, requireText } from './values.js';

export type AuditFilter = { app?: string; actor?: string; afterSeq?: number } & Page;

const OPTIONAL_TEXT = ['app', 'platform', 'channel', 'text', 'decision', 'result'] as const;

/**
 * Appends one entry at the head of the chain. The read of the head and the insert share one
 * transaction that holds the chain lock (`begin immediate` on SQLite, a table lock on PostgreSQL),
 * and `seq` is the primary key, so two writers can never fork the chain.
 */
export async function appendAudit(ctx: StoreContext, input: AuditInput): Promise<AuditEntry> {
  const actor = requireText(input.actor, 'audit.actor');
  const action = requireText(input.action, 'audit.action');
  return guard(ctx.dialect.location, `append an audit entry (${action} by ${actor})`, {}, async () =>
    ctx.db.transaction().execute(async (trx) => {
      await ctx.dialect.lockAuditChain(trx);
      const head = await trx
        .selectFrom('audit')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const base: Omit<AuditEntry, 'hash'> = {
        seq: head ? Number(head.seq) + 1 : 1,
        at: ctx.now().toISOString(),
        actor,
        action,
        prevHash: head ? head.hash : GENESIS_HASH,
      };
      for (const key of OPTIONAL_TEXT) {
        const value = input[key];
        if (value !== undefined) Object.assign(base, { [key]: String(value) });
      }
      if (input.details !== undefined) base.details = plainDetails(input.details);
      const entry: AuditEntry = { ...base, hash: auditHash(base) };
      await trx.insertInto('audit').values(toRow(entry)).execute();
      return entry;
    }),
  );
}

/**
 * Entries in chain order (oldest first). With `afterSeq`: the first `limit` entries after it.
 * Otherwise the newest `limit` entries, or those just before the seq `before`.
 */
export async function listAudit(ctx: StoreContext, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const limit = pageLimit(filter.limit);
  const before = filter.before === undefined ? undefined : seqCursor(filter.before, 'before');
  const afterSeq = filter.afterSeq === undefined ? undefined : seqCursor(filter.afterSeq, 'afterSeq');
  return guard(ctx.dialect.location, 'list the audit log', {}, async () => {
    let query = ctx.db.selectFrom('audit').selectAll();
    if (filter.app !== undefined) query = query.where('app', '=', filter.app);
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (before !== undefined) query = query.where('seq', '<', before);
    if (afterSeq !== undefined) {
      const rows = await query.where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map((row) => fromRow(ctx, row));
    }
    const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
    return rows.reverse().map((row) => fromRow(ctx, row));
  });
}

function seqCursor(value: string | number, name: string): number {
  const seq = Number(value);
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw badRequest(`${name} must be an audit seq (a whole number), got ${JSON.stringify(value)}`, {
      path: name,
    });
  }
  return seq;
}

const VERIFY_BATCH = 500;

/**
 * Walks the whole chain in `seq` order and stops at the first entry that does not hold: a gap in
 * `seq` (deleted rows), a `prevHash` that is not the previous entry's hash (deleted, inserted or
 * reordered rows, or a rewritten hash), or fields that no longer match the hash (an altered row).
 */
export async function verifyAudit(ctx: StoreContext): Promise<AuditVerification> {
  return guard(ctx.dialect.location, 'verify the audit log', {}, async () => {
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    for (;;) {
      const rows = await ctx.db
        .selectFrom('audit')
        .selectAll()
        .where('seq', '>=', expected)
        .orderBy('seq')
        .limit(VERIFY_BATCH)
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expected) {
          const missing =
            seq - expected === 1 ? `entry ${expected} is` : `entries ${expected}-${seq - 1} are`;
          return broken(
            checked,
            expected,
            `${missing} missing: seq jumps from ${expected - 1} to ${seq} (deleted)`,
          );
        }
        if (row.prev_hash !== prevHash) {
          const link = seq === 1 ? 'does not start the chain' : `does not link to entry ${seq - 1}`;
          return broken(
            checked,
            seq,
            `entry ${seq} ${link}: its prevHash is not the previous entry's hash ` +
              '(an entry was deleted, inserted or reordered, or a hash was rewritten)',
          );
        }
        const entry = tryFromRow(ctx, row);
        if (entry === undefined || auditHash(withoutHash(entry)) !== row.hash) {
          return broken(
            checked,
            seq,
            `entry ${seq} was altered: its stored fields no longer match its hash (changed after it was written)`,
          );
        }
        prevHash = row.hash;
        expected = seq + 1;
        checked += 1;
      }
      if (rows.length < VERIFY_BATCH) return { ok: true, checked };
    }
  });
}

/** Through JSON once, so the entry hashed is exactly the one read back later. */
function plainDetails(details: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(details));
  } catch (err) {
    throw badRequest(`audit.details must be plain JSON data: ${errorMessage(err)}`, {
      path: 'audit.details',
    });
  }
}

function broken(checked: number, seq: number, reason: string): AuditVerification {
  return { ok: false, checked, firstBroken: { seq, reason } };
}

function withoutHash(entry: AuditEntry): Omit<AuditEntry, 'hash'> {
  const { hash: _hash, ...rest } = entry;
  return rest;
}

function toRow(entry: AuditEntry): AuditRow {
  return {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    app: entry.app ?? null,
    platform: entry.platform ?? null,
    channel: entry.channel ?? null,
    text: entry.text ?? null,
    decision: entry.decision ?? null,
    result: entry.result ?? null,
    details: entry.details === undefined ? null : JSON.stringify(entry.details),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

function fromRow(ctx: StoreContext, row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.app !== null) entry.app = row.app;
  if (row.platform !== null) entry.platform = row.platform;
  if (row.channel !== null) entry.channel = row.channel;
  if (row.text !== null) entry.text = row.text;
  if (row.decision !== null) entry.decision = row.decision as AuditDecision;
  if (row.result !== null) entry.result = row.result;
  if (row.details !== null) {
    entry.details = fromJson(row.details, {
      location: ctx.dialect.location,
      table: 'audit',
      column: 'details',
      key: `seq ${row.seq}`,
    });
  }
  return entry;
}

/** A row whose JSON no longer parses is an altered row, not a crash of the verifier. */
function tryFromRow(ctx: StoreContext, row: AuditRow): AuditEntry | undefined {
  try {
    return fromRow(ctx, row);
  } catch {
    return undefined;
  }
}
