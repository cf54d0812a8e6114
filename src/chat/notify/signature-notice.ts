import type { Block, WheelhouseEvent } from '../../core/index.js';
import { shortSha } from '../commands/format.js';
import { code, context, message, text, truncate } from '../core/message.js';
import type { Notice, NoticeContext } from './notice.js';
import { environmentOf, redactMessage } from './notice-helpers.js';

/**
 * A revision refused for its signatures, routed as a failed sync: Git moved, but the app stays on
 * its last verified revision until a signed commit arrives.
 */
export function signatureNotice(
  event: Extract<WheelhouseEvent, { type: 'signature.refused' }>,
  ctx: NoticeContext,
): Notice | undefined {
  const env = environmentOf(ctx, event.app);
  if (env === undefined) return undefined;
  const blocks: Block[] = [
    text(
      `🔏 ${event.app} (${env}) does not sync to ${shortSha(event.revision)}: its signature is not trusted`,
    ),
    code(truncate(event.message, 2000)),
    context(`sign the commit with a trusted key and push; \`status ${event.app}\` shows it until then`),
  ];
  return {
    event: 'sync.failed',
    app: event.app,
    environment: env,
    operation: `signature:${event.app}:${event.revision}`,
    fingerprint: `signature.refused:${event.app}:${event.message}`,
    message: redactMessage(message(blocks), ctx.redact),
  };
}
