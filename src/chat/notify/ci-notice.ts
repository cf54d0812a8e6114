import type { WheelhouseEvent } from '../../core/index.js';
import { fields, message, text } from '../core/message.js';
import type { Notice, NoticeContext } from './notice.js';
import { environmentOf, redactMessage } from './notice-helpers.js';

const WORD = { success: '✅ succeeded', failure: '❌ failed', cancelled: '⏹️ was cancelled' } as const;

/** A CI server's completion webhook, told to the routes of an app the server is tied to. */
export function ciNotice(
  event: Extract<WheelhouseEvent, { type: 'ci.finished' }>,
  ctx: NoticeContext,
): Notice | undefined {
  const environment = environmentOf(ctx, event.app);
  if (environment === undefined) return undefined;
  const id = `${event.ci}/${event.job}#${event.run}`;
  return {
    event: 'ci.finished',
    app: event.app,
    environment,
    operation: `ci:${id}`,
    fingerprint: `ci.finished:${id}:${event.result}`,
    message: redactMessage(
      message(
        [
          text(`${id} ${WORD[event.result]} (${event.app}, ${environment})`),
          fields({ ...(event.url ? { Build: event.url } : {}), App: event.app }),
        ],
        event.result === 'success' ? 'done' : 'failed',
      ),
      ctx.redact,
    ),
  };
}
