import { displayName, resolveIdentity } from '../../access/index.js';
import type { Block, WheelhouseEvent } from '../../core/index.js';
import { shortSha } from '../commands/format.js';
import { code, context, message, text, truncate } from '../core/message.js';
import type { Notice, NoticeContext } from './notice.js';
import { environmentOf, redactMessage } from './notice-helpers.js';

// The notices only routes that name them get (not in a route's default events): a sync starting,
// an approval decided, a source that cannot be fetched.

/** A sync begins: its thread, which the result then answers. Dry runs are not news. */
export function syncStartedNotice(
  event: Extract<WheelhouseEvent, { type: 'sync.started' }>,
  ctx: NoticeContext,
): Notice | undefined {
  if (event.dryRun) return undefined;
  const env = environmentOf(ctx, event.app);
  if (env === undefined) return undefined;
  const who = displayName(resolveIdentity(event.actor, ctx.config().people));
  return {
    event: 'sync.started',
    app: event.app,
    environment: env,
    operation: event.syncId,
    fingerprint: `sync.started:${event.syncId}`,
    message: redactMessage(
      message([
        text(`🔄 syncing ${event.app} (${env}) to ${shortSha(event.revision)}, asked by ${who}`),
        context(`the result follows in this thread · \`status ${event.app}\``),
      ]),
      ctx.redact,
    ),
  };
}

const VERDICT: Record<string, string> = {
  approved: '✅ approved',
  denied: '🚫 denied',
  expired: '⌛ expired',
  executed: '✅ approved and run',
  failed: '❌ approved, but the command failed',
};

/** An approval decided, in the thread of its request (the route's `approval.requested` message). */
export async function approvalDecidedNotice(
  event: Extract<WheelhouseEvent, { type: 'approval.decided' }>,
  ctx: NoticeContext,
): Promise<Notice | undefined> {
  const approval = await ctx.store.getApproval(event.approvalId);
  if (!approval) return undefined;
  // A vote that does not decide yet (2 of 3) leaves the request pending: said once it is decided.
  if (event.status === 'pending') return undefined;
  const who =
    event.actor === 'wheelhouse'
      ? 'its expiry'
      : displayName(resolveIdentity(event.actor, ctx.config().people));
  const verdict = VERDICT[event.status] ?? event.status;
  return {
    event: 'approval.decided',
    app: approval.app,
    environment: approval.environment,
    operation: `approval:${approval.id}`,
    fingerprint: `approval.decided:${approval.id}:${event.status}`,
    message: redactMessage(
      message([
        text(`${verdict}: \`${approval.text}\` on ${approval.app} (${approval.environment}), by ${who}`),
        context(`request ${approval.id} · \`approvals\` lists the open ones`),
      ]),
      ctx.redact,
    ),
  };
}

/**
 * A repository could not be fetched: its apps are checked against the last fetched state until a
 * fetch works. About every app of the repo, so it goes to every route that names the event;
 * the same failure again within the de-duplication window is not repeated.
 */
export function sourceFailedNotice(
  event: Extract<WheelhouseEvent, { type: 'source.failed' }>,
  ctx: NoticeContext,
): Notice {
  const blocks: Block[] = [
    text(`📡 could not fetch ${event.repo}: its apps stay on the last fetched state`),
    code(truncate(event.message, 2000)),
    context(
      'check the URL, the credentials and the network from the Wheelhouse host; `status` shows it per app',
    ),
  ];
  return {
    event: 'source.failed',
    app: '',
    environment: '',
    operation: `source:${event.repo}`,
    fingerprint: `source.failed:${event.repo}:${event.message}`,
    message: redactMessage(message(blocks), ctx.redact),
  };
}
