import type { Approval, ApprovalDecision, ApprovalStatus, ChatOrigin } from '../core/index.js';
import type { StoreContext } from './context.js';
import { conflict, guard, notFound } from './errors.js';
import type { ApprovalRow } from './schema.js';
import { fromJson, requireText, toJson, toTime } from './values.js';

export async function insertApproval(ctx: StoreContext, approval: Approval): Promise<void> {
  const row = toRow(approval, 1);
  await guard(ctx.dialect.location, `record approval ${approval.id}`, { app: approval.app }, async () => {
    const result = await ctx.db
      .insertInto('approvals')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw conflict(`approval ${approval.id} already exists; give each request a new id`, {
        app: approval.app,
        approval: approval.id,
      });
    }
  });
}

export async function getApproval(ctx: StoreContext, id: string): Promise<Approval | undefined> {
  return guard(ctx.dialect.location, `read approval ${id}`, { approval: id }, async () => {
    const row = await ctx.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(ctx, row) : undefined;
  });
}

/** Oldest request first. */
export async function listApprovals(
  ctx: StoreContext,
  filter: { status?: ApprovalStatus; app?: string } = {},
): Promise<Approval[]> {
  return guard(ctx.dialect.location, 'list approvals', {}, async () => {
    let query = ctx.db.selectFrom('approvals').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.app !== undefined) query = query.where('app', '=', filter.app);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => fromRow(ctx, row));
  });
}

/**
 * Moves an approval from `expected` to `status`, adding `decision` if given, in one transaction:
 * the row is locked (PostgreSQL `for update`; SQLite's `begin immediate` holds the write lock),
 * its status checked, and the update guarded by the row's version. Of two approvers racing with
 * the same expected status, exactly one succeeds; the other gets `CONFLICT`. A person decides a
 * request once: a second decision by the same actor is a `CONFLICT` too.
 */
export async function decideApproval(
  ctx: StoreContext,
  id: string,
  expected: ApprovalStatus,
  status: ApprovalStatus,
  decision?: ApprovalDecision,
): Promise<Approval> {
  const added = decision === undefined ? undefined : normalizeDecision(decision);
  return guard(ctx.dialect.location, `decide approval ${id}`, { approval: id }, async () =>
    ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('approvals')
        .selectAll()
        .where('id', '=', id)
        .$if(ctx.dialect.rowLocks, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (!row) throw notFound(`approval ${id}`, { approval: id }, 'list pending approvals to find its id');
      const current = fromRow(ctx, row);
      if (current.status !== expected) {
        throw conflict(
          `approval ${id} is ${current.status}, not ${expected}: someone decided it first; look at it again`,
          { approval: id, app: current.app, status: current.status, expected },
        );
      }
      if (added && current.decisions.some((d) => d.actor === added.actor)) {
        throw conflict(`${added.actor} has already decided on approval ${id}; a person decides once`, {
          approval: id,
          app: current.app,
          actor: added.actor,
        });
      }
      const next: Approval = {
        ...current,
        status,
        decisions: added ? [...current.decisions, added] : current.decisions,
      };
      const version = Number(row.version);
      const result = await trx
        .updateTable('approvals')
        .set({ status: next.status, decisions: toJson(next.decisions), version: version + 1 })
        .where('id', '=', id)
        .where('status', '=', expected)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw conflict(`approval ${id} changed while it was being decided; look at it again`, {
          approval: id,
          app: current.app,
        });
      }
      return next;
    }),
  );
}

function normalizeDecision(decision: ApprovalDecision): ApprovalDecision {
  const out: ApprovalDecision = {
    actor: requireText(decision.actor, 'decision.actor'),
    decision: decision.decision,
    at: toTime(decision.at, 'decision.at'),
  };
  if (decision.reason !== undefined) out.reason = decision.reason;
  return out;
}

function toRow(approval: Approval, version: number): ApprovalRow {
  return {
    id: requireText(approval.id, 'approval.id'),
    app: requireText(approval.app, 'approval.app'),
    environment: approval.environment,
    command: requireText(approval.command, 'approval.command'),
    args: toJson(approval.args ?? {}),
    text: approval.text,
    requester: requireText(approval.requester, 'approval.requester'),
    required: approval.required,
    created_at: toTime(approval.createdAt, 'approval.createdAt'),
    expires_at: toTime(approval.expiresAt, 'approval.expiresAt'),
    status: approval.status,
    decisions: toJson((approval.decisions ?? []).map(normalizeDecision)),
    origin: approval.origin === undefined ? null : toJson(approval.origin),
    preview: approval.preview ?? null,
    version,
  };
}

function fromRow(ctx: StoreContext, row: ApprovalRow): Approval {
  const where = (column: string) => ({
    location: ctx.dialect.location,
    table: 'approvals',
    column,
    key: row.id,
  });
  const approval: Approval = {
    id: row.id,
    app: row.app,
    environment: row.environment,
    command: row.command,
    args: fromJson(row.args, where('args')),
    text: row.text,
    requester: row.requester,
    required: Number(row.required),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    status: row.status as ApprovalStatus,
    decisions: fromJson(row.decisions, where('decisions')),
  };
  if (row.origin !== null) approval.origin = fromJson<ChatOrigin>(row.origin, where('origin'));
  if (row.preview !== null) approval.preview = row.preview;
  return approval;
}
