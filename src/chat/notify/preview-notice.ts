import type { WheelhouseEvent } from '../../core/index.js';
import { shortSha } from '../commands/format.js';
import { fields, message, text } from '../core/message.js';
import type { Notice, NoticeContext } from './notice.js';
import { environmentOf, redactMessage } from './notice-helpers.js';

const ICON = { changed: '🔎', unchanged: '🔎', failed: '❌' } as const;

/**
 * A pull request's preview, told to the routes of each app it touches that name `preview.ready`.
 * A newer push to the same request makes a new notice (its revision is in the fingerprint).
 */
export function previewNotice(
  event: Extract<WheelhouseEvent, { type: 'preview.ready' }>,
  ctx: NoticeContext,
): Notice | undefined {
  const environment = environmentOf(ctx, event.app);
  if (environment === undefined) return undefined;
  const title = event.title ? ` “${event.title}”` : '';
  return {
    event: 'preview.ready',
    app: event.app,
    environment,
    operation: `preview:${event.preview}`,
    fingerprint: `preview.ready:${event.preview}:${event.app}:${event.revision}`,
    message: redactMessage(
      message(
        [
          text(
            `${ICON[event.outcome]} pull request ${event.preview}${title} at ${shortSha(event.revision)}: ${event.app} (${environment}) ${event.summary}`,
          ),
          fields({
            ...(event.url ? { 'Pull request': event.url } : {}),
            ...(event.link ? { Preview: event.link } : {}),
            App: event.app,
          }),
        ],
        event.outcome === 'failed' ? 'failed' : 'info',
      ),
      ctx.redact,
    ),
  };
}
