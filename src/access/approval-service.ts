import {
  type Approval,
  type ApprovalDecision,
  type ApprovalStatus,
  errorMessage,
  isWheelhouseError,
} from '../core/index.js';
import type {
  ActionRequest,
  ActionResult,
  ActionsDeps,
  DecisionResult,
  PreparedAction,
  Reporter,
} from './actions-types.js';
import { checkDecision, distinctApprovers } from './approval-decision.js';
import { isExpired } from './approval-rules.js';
import { appendAudit } from './audit.js';
import { displayName, type Identity, resolveIdentity, samePerson } from './identity.js';
import { checkPermission } from './policy.js';

interface DecideContext {
  deps: ActionsDeps;
  now: () => Date;
  redact: (text: string) => string;
  prepare(request: ActionRequest): Promise<PreparedAction | Extract<ActionResult, { status: 'refused' }>>;
  execute(prepared: PreparedAction, reporter?: Reporter): Promise<ActionResult>;
  identityOf(actor: string): Identity;
}

export interface DecideInput {
  actor: string;
  approvalId: string;
  decision: 'approve' | 'deny';
  reason?: string;
  platform: string;
  channel?: string;
}

/**
 * Approve or deny a pending request. The decider needs the approve permission on the request's
 * app (a requester may always withdraw their own request with deny). When enough distinct people
 * approved, the request runs as the requester with the approvers recorded.
 */
export async function decideApproval(
  ctx: DecideContext,
  input: DecideInput,
  reporter?: Reporter,
): Promise<DecisionResult> {
  const { deps } = ctx;
  const config = deps.config();
  const decider = ctx.identityOf(input.actor);
  const text = `${input.decision} ${input.approvalId}${input.reason ? ` ${input.reason}` : ''}`;
  const approval = await deps.store.getApproval(input.approvalId);
  const audit = (decision: 'approved' | 'denied' | 'expired' | 'refused', result: string, app?: string) =>
    appendAudit(deps.store, deps.events, {
      actor: input.actor,
      action: 'approval.decided',
      ...(app ? { app } : {}),
      platform: input.platform,
      ...(input.channel ? { channel: input.channel } : {}),
      text: ctx.redact(text),
      decision,
      result: ctx.redact(result),
      details: { approvalId: input.approvalId },
    });
  if (!approval) {
    const reason = `there is no approval request ${input.approvalId}; \`approvals\` lists the pending ones`;
    await audit('refused', reason);
    return { status: 'refused', code: 'NOT_FOUND', reason };
  }
  const requester = resolveIdentity(approval.requester, config.people);
  const mine = samePerson(decider, requester);
  const withdrawing = input.decision === 'deny' && mine;
  if (input.decision === 'approve' && mine) {
    // Say so before any permission check: no permission would let anyone approve their own request.
    const check = checkDecision(approval, decider, 'approve', config.people, ctx.now());
    if (check.outcome === 'refused') {
      await audit('refused', check.reason, approval.app);
      return { status: 'refused', code: 'FORBIDDEN', reason: check.reason, approval };
    }
  }
  if (!withdrawing) {
    const allowed = checkPermission(config.access, config.people, decider, 'approve', {
      name: approval.app,
      environment: approval.environment,
    });
    if (!allowed.allowed) {
      await audit('refused', allowed.reason, approval.app);
      return { status: 'refused', code: 'FORBIDDEN', reason: allowed.reason, approval };
    }
  }
  const check = checkDecision(approval, decider, input.decision, config.people, ctx.now());
  if (check.outcome === 'expired') {
    const expired = await markExpired(deps, approval);
    await audit('expired', check.reason, approval.app);
    return { status: 'expired', approval: expired ?? approval, reason: check.reason };
  }
  if (check.outcome === 'refused') {
    await audit('refused', check.reason, approval.app);
    return { status: 'refused', code: 'CONFLICT', reason: check.reason, approval };
  }
  const decision: ApprovalDecision = {
    actor: input.actor,
    decision: input.decision,
    at: ctx.now().toISOString(),
    ...(input.reason ? { reason: ctx.redact(input.reason) } : {}),
  };
  let updated: Approval;
  try {
    updated = await deps.store.decideApproval(approval.id, 'pending', check.next, decision);
  } catch (err) {
    if (!isWheelhouseError(err)) throw err;
    const now = await deps.store.getApproval(approval.id);
    const reason = `request ${approval.id} changed while you decided (now ${now?.status ?? 'gone'}); nothing recorded`;
    await audit('refused', reason, approval.app);
    return { status: 'refused', code: 'CONFLICT', reason, ...(now ? { approval: now } : {}) };
  }
  const verdict = input.decision === 'approve' ? 'approved' : 'denied';
  await audit(verdict, `${displayName(decider)} ${verdict} ${approval.id} (${updated.status})`, approval.app);
  deps.events?.publish({
    type: 'approval.decided',
    approvalId: approval.id,
    app: approval.app,
    status: updated.status,
    actor: input.actor,
  });
  if (updated.status === 'denied') return { status: 'denied', approval: updated };
  if (updated.status === 'pending') {
    return {
      status: 'recorded',
      approval: updated,
      remaining: Math.max(0, updated.required - check.approvals),
    };
  }
  return { status: 'approved', approval: updated, execution: runApproved(ctx, updated, reporter) };
}

/** Run an approved request as its requester, report to where it was asked, record the result. */
async function runApproved(
  ctx: DecideContext,
  approval: Approval,
  reporter?: Reporter,
): Promise<ActionResult> {
  const { deps } = ctx;
  const config = deps.config();
  const origin = deps.reporterFor?.(approval);
  const fanout: Reporter = {
    progress(message) {
      reporter?.progress(message);
      origin?.progress(message);
    },
  };
  let result: ActionResult;
  try {
    const request: ActionRequest = {
      actor: approval.requester,
      command: approval.command,
      args: approval.args,
      text: approval.text,
      platform: approval.origin?.platform ?? 'api',
      ...(approval.origin?.channel ? { channel: approval.origin.channel } : {}),
      ...(approval.origin?.messageId ? { requestId: approval.origin.messageId } : {}),
    };
    const prepared = await ctx.prepare(request);
    if (prepared.status === 'refused') {
      result = prepared;
    } else if (prepared.authorization.kind === 'refused') {
      result = { status: 'refused', code: 'FORBIDDEN', reason: prepared.authorization.reason };
    } else {
      const approvers = distinctApprovers(approval, config.people);
      result = await ctx.execute({ ...prepared, approval, approvers }, fanout);
    }
  } catch (err) {
    result = {
      status: 'failed',
      outcome: {
        ok: false,
        summary: errorMessage(err),
        error: { code: 'INTERNAL', message: errorMessage(err) },
      },
    };
  }
  const final: ApprovalStatus = result.status === 'done' ? 'executed' : 'failed';
  try {
    await deps.store.decideApproval(approval.id, 'approved', final);
  } catch (err) {
    deps.log.warn({ approval: approval.id, err: errorMessage(err) }, 'could not record the approved run');
  }
  origin?.finished(result);
  return result;
}

async function markExpired(deps: ActionsDeps, approval: Approval): Promise<Approval | undefined> {
  try {
    const expired = await deps.store.decideApproval(approval.id, 'pending', 'expired');
    deps.events?.publish({
      type: 'approval.decided',
      approvalId: approval.id,
      app: approval.app,
      status: 'expired',
      actor: 'wheelhouse',
    });
    return expired;
  } catch (err) {
    if (isWheelhouseError(err)) return undefined;
    throw err;
  }
}

/** Expire every pending request past its expiry (an expired request counts as denied). */
export async function expireDueApprovals(ctx: { deps: ActionsDeps; now: () => Date }): Promise<Approval[]> {
  const out: Approval[] = [];
  const now = ctx.now();
  for (const approval of await ctx.deps.store.listApprovals({ status: 'pending' })) {
    if (!isExpired(approval, now)) continue;
    const expired = await markExpired(ctx.deps, approval);
    if (!expired) continue;
    await appendAudit(ctx.deps.store, ctx.deps.events, {
      actor: 'wheelhouse',
      action: 'approval.expired',
      app: approval.app,
      decision: 'expired',
      result: `request ${approval.id} (${approval.text}) by ${approval.requester} expired at ${approval.expiresAt}`,
      details: { approvalId: approval.id },
    });
    out.push(expired);
  }
  return out;
}
