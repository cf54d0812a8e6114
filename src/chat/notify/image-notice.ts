import type { WheelhouseEvent } from '../../core/index.js';
import { fields, message, text } from '../core/message.js';
import type { Notice, NoticeContext } from './notice.js';
import { environmentOf, redactMessage } from './notice-helpers.js';

const HEAD = {
  proposed: (app: string, env: string) => `⬆️ newer image for ${app} (${env}) committed to Git`,
  held: (app: string, env: string) => `⏸️ newer image for ${app} (${env}) held`,
  error: (app: string, env: string) => `⚠️ image check of ${app} (${env}) failed; the current image stays`,
} as const;

/**
 * Image automation's news for the app's routes that take `image.updated`: what changed (from →
 * to), why it was held, or why the registry could not be read, with the way back for a commit.
 */
export function imageNotice(
  event: Extract<WheelhouseEvent, { type: 'image.updated' }>,
  ctx: NoticeContext,
): Notice | undefined {
  const environment = environmentOf(ctx, event.app);
  if (environment === undefined) return undefined;
  // The candidate is a tag, or tag@digest for a digest policy.
  const to = event.candidate ? `${event.image}:${event.candidate}` : undefined;
  return {
    event: 'image.updated',
    app: event.app,
    environment,
    operation: `image:${event.image}`,
    fingerprint: `image.updated:${event.app}:${event.image}:${event.state}:${event.candidate ?? ''}`,
    message: redactMessage(
      message(
        [
          text(`${HEAD[event.state](event.app, environment)}: ${event.message}`),
          fields({
            Image: event.image,
            ...(event.current ? { From: event.current } : {}),
            ...(to ? { To: to } : {}),
            ...(event.state === 'proposed'
              ? { 'To go back': `\`rollback ${event.app}\` once it is applied, or revert the commit` }
              : {}),
          }),
        ],
        event.state === 'proposed' ? 'info' : 'failed',
      ),
      ctx.redact,
    ),
  };
}
