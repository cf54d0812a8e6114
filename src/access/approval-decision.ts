import type { Approval, ApprovalStatus, Person } from '../core/index.js';
import { isExpired } from './approval-rules.js';
import { displayName, type Identity, personKey, resolveIdentity, samePerson } from './identity.js';

export type DecisionCheck =
  | { outcome: 'refused'; reason: string }
  | { outcome: 'expired'; reason: string }
  | {
      outcome: 'accepted';
      /** The status to store with this decision. */
      next: ApprovalStatus;
      /** Distinct people who approved, counting this decision. */
      approvals: number;
    };

/** Distinct people among the approvals recorded so far (one person counts once). */
export function distinctApprovers(approval: Approval, people: readonly Person[]): Identity[] {
  const seen = new Map<string, Identity>();
  for (const decision of approval.decisions) {
    if (decision.decision !== 'approve') continue;
    const identity = resolveIdentity(decision.actor, people);
    const key = personKey(identity);
    if (!seen.has(key)) seen.set(key, identity);
  }
  return [...seen.values()];
}

/**
 * May `decider` approve or deny this request now? Pure: the caller checks the `approve`
 * permission through the policy first and stores the result atomically.
 * - only pending requests take decisions; past the expiry the request is expired (denied);
 * - the requester cannot approve their own request (they may withdraw it with deny);
 * - one person counts once, whichever platform they use.
 */
export function checkDecision(
  approval: Approval,
  decider: Identity,
  decision: 'approve' | 'deny',
  people: readonly Person[],
  now: Date,
): DecisionCheck {
  if (approval.status !== 'pending') {
    return {
      outcome: 'refused',
      reason: `request ${approval.id} is already ${approval.status}; nothing to decide`,
    };
  }
  if (isExpired(approval, now)) {
    return {
      outcome: 'expired',
      reason: `request ${approval.id} expired at ${approval.expiresAt} and counts as denied; ask again with \`${approval.text}\``,
    };
  }
  const requester = resolveIdentity(approval.requester, people);
  const mine = samePerson(decider, requester);
  if (decision === 'approve' && mine) {
    return {
      outcome: 'refused',
      reason: `${displayName(decider)} asked for request ${approval.id} and cannot approve it; another person with the approve permission must`,
    };
  }
  const already = approval.decisions.find((d) => samePerson(resolveIdentity(d.actor, people), decider));
  if (already) {
    return {
      outcome: 'refused',
      reason: `${displayName(decider)} already decided request ${approval.id} (${already.decision}); one person counts once`,
    };
  }
  if (decision === 'deny')
    return { outcome: 'accepted', next: 'denied', approvals: distinctApprovers(approval, people).length };
  const approvals = distinctApprovers(approval, people).length + 1;
  return { outcome: 'accepted', next: approvals >= approval.required ? 'approved' : 'pending', approvals };
}
