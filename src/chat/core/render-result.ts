import type { ActionResult, DecisionResult } from '../../access/index.js';
import { displayName, type Identity, resolveIdentity } from '../../access/index.js';
import type { Approval, Block, ChatMessage, Person } from '../../core/index.js';
import { healthLabel, shortSha, until } from '../commands/format.js';
import { buttons, code, context, fields, message, text, truncate } from './message.js';

/** Who asked, for the last line of every reply. */
export function askedBy(identity: Identity): string {
  return `asked by ${displayName(identity)}`;
}

export function workingMessage(what: string, identity: Identity, step?: string): ChatMessage {
  return message(
    [text(`⏳ ${what}${step ? ` — ${step}` : ' — on it'}`), context(askedBy(identity))],
    'working',
  );
}

export function refusedMessage(reason: string, identity?: Identity): ChatMessage {
  const blocks: Block[] = [text(`🚫 ${reason}`)];
  if (identity) blocks.push(context(askedBy(identity)));
  return message(blocks, 'refused');
}

export function failedMessage(reason: string, identity?: Identity): ChatMessage {
  const blocks: Block[] = [text(`❌ ${reason}`)];
  if (identity) blocks.push(context(askedBy(identity)));
  return message(blocks, 'failed');
}

/** Approve / Deny buttons for a pending request (typed `approve <id>` works everywhere too). */
export function approvalButtons(id: string): Block {
  return buttons(
    { action: 'approval.approve', label: 'Approve', value: id, style: 'primary' },
    { action: 'approval.deny', label: 'Deny', value: id, style: 'danger' },
  );
}

export function awaitingMessage(
  approval: Approval,
  approvers: readonly string[],
  identity: Identity,
  now: Date,
): ChatMessage {
  const blocks: Block[] = [
    text(
      `🕒 \`${approval.text}\` needs ${approval.required} approval${approval.required === 1 ? '' : 's'} ` +
        `(app ${approval.app}, environment ${approval.environment}). Request ${approval.id}.`,
    ),
    fields({
      'May approve': approvers.join(', ') || 'admin',
      Expires: `${until(approval.expiresAt, now)} (${approval.expiresAt})`,
    }),
  ];
  if (approval.preview) blocks.push(code(truncate(approval.preview, 2500), 'diff'));
  blocks.push(approvalButtons(approval.id));
  blocks.push(context(`${askedBy(identity)} · someone else approves with \`approve ${approval.id}\``));
  return message(blocks, 'awaiting-approval');
}

/** The final reply of an executed action: what changed, who asked (and approved), the health. */
export function resultMessage(result: ActionResult, identity: Identity, now: Date): ChatMessage {
  if (result.status === 'refused') return refusedMessage(result.reason, identity);
  if (result.status === 'awaiting-approval')
    return awaitingMessage(result.approval, result.approvers, identity, now);
  const { outcome } = result;
  const info: { label: string; value: string }[] = [...(outcome.fields ?? [])];
  if (outcome.commit && !info.some((f) => f.label === 'Commit')) {
    info.push({ label: 'Commit', value: shortSha(outcome.commit) });
  }
  if (outcome.branch) info.push({ label: 'Branch', value: outcome.branch });
  if (outcome.health) {
    info.push({
      label: 'Health',
      value: `${healthLabel(outcome.health.status)}${outcome.health.message ? ` — ${outcome.health.message}` : ''}`,
    });
  }
  const blocks: Block[] = [text(`${outcome.ok ? '✅' : '❌'} ${outcome.summary}`)];
  if (info.length > 0) blocks.push(fields(info));
  if (outcome.lines && outcome.lines.length > 0) blocks.push(text(outcome.lines.join('\n')));
  if (outcome.code) blocks.push(code(truncate(outcome.code, 3000)));
  blocks.push(context(askedBy(identity)));
  return message(blocks, outcome.ok ? 'done' : 'failed');
}

/** The reply to `approve` / `deny`. */
export function decisionMessage(
  result: DecisionResult,
  decider: Identity,
  people: readonly Person[],
): ChatMessage {
  switch (result.status) {
    case 'refused':
      return refusedMessage(result.reason, decider);
    case 'expired':
      return message([text(`⌛ ${result.reason}`), context(askedBy(decider))], 'refused');
    case 'denied':
      return message(
        [
          text(`🛑 request ${result.approval.id} (\`${result.approval.text}\`) is denied; it will not run.`),
          context(askedBy(decider)),
        ],
        'done',
      );
    case 'recorded':
      return message(
        [
          text(
            `👍 approval of ${result.approval.id} recorded; ${result.remaining} more needed from someone other than ${displayName(resolveIdentity(result.approval.requester, people))}.`,
          ),
          context(askedBy(decider)),
        ],
        'done',
      );
    case 'approved':
      return message(
        [
          text(
            `✅ request ${result.approval.id} approved: \`${result.approval.text}\` runs now as ${displayName(resolveIdentity(result.approval.requester, people))}.`,
          ),
          context(askedBy(decider)),
        ],
        'working',
      );
  }
}

/** The request's own reply once it was decided (the Approve/Deny buttons go away). */
export function decidedRequestMessage(approval: Approval, people: readonly Person[]): ChatMessage {
  const who = approval.decisions
    .map(
      (d) =>
        `${d.decision === 'approve' ? 'approved' : 'denied'} by ${displayName(resolveIdentity(d.actor, people))}${d.reason ? ` (${d.reason})` : ''}`,
    )
    .join(', ');
  const head: Record<string, string> = {
    approved: `✅ \`${approval.text}\` was approved${who ? ` — ${who}` : ''}; it runs as the requester.`,
    executed: `✅ \`${approval.text}\` was approved${who ? ` — ${who}` : ''} and ran.`,
    failed: `❌ \`${approval.text}\` was approved${who ? ` — ${who}` : ''} but failed.`,
    denied: `🛑 \`${approval.text}\` was denied${who ? ` — ${who}` : ''}.`,
    expired: `⌛ \`${approval.text}\` expired at ${approval.expiresAt} without enough approvals; ask again if it is still needed.`,
    pending: `🕒 \`${approval.text}\` waits for approval${who ? ` — ${who}` : ''}.`,
  };
  const status =
    approval.status === 'pending' ? 'awaiting-approval' : approval.status === 'approved' ? 'working' : 'done';
  const blocks: Block[] = [text(head[approval.status] ?? approval.status)];
  if (approval.status === 'pending') blocks.push(approvalButtons(approval.id));
  blocks.push(
    context(`request ${approval.id} by ${displayName(resolveIdentity(approval.requester, people))}`),
  );
  return message(blocks, approval.status === 'expired' || approval.status === 'denied' ? 'refused' : status);
}

/** The approver's reply once the approved request ran. */
export function approvedRunMessage(
  approval: Approval,
  run: ActionResult,
  decider: Identity,
  people: readonly Person[],
): ChatMessage {
  const requester = displayName(resolveIdentity(approval.requester, people));
  const ok = run.status === 'done';
  const how =
    run.status === 'done' || run.status === 'failed'
      ? run.outcome.summary
      : run.status === 'refused'
        ? run.reason
        : `it waits for approval again (${run.approval.id})`;
  return message(
    [
      text(
        `${ok ? '✅' : '❌'} request ${approval.id} approved; \`${approval.text}\` ran as ${requester}: ${how}`,
      ),
      context(askedBy(decider)),
    ],
    ok ? 'done' : 'failed',
  );
}
