import type { PreviewRecord } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { appLine, previewLink } from './summary.js';

/**
 * A stored preview -> one `preview.ready` event per app it touches, for the notification routes
 * that name the event (and the live dashboard). The summary line goes through the redaction.
 */
export function announcePreview(ctx: ServerContext, record: PreviewRecord): void {
  const dashboardUrl = ctx.config()?.previews?.dashboardUrl;
  for (const app of record.report.apps) {
    ctx.engine.events.publish({
      type: 'preview.ready',
      app: app.app,
      preview: record.id,
      revision: record.report.revision,
      outcome: app.outcome,
      summary: ctx.redact(appLine(app)),
      ...(record.url ? { url: record.url } : {}),
      ...(record.title ? { title: ctx.redact(record.title) } : {}),
      ...(dashboardUrl ? { link: previewLink(dashboardUrl, record.id) } : {}),
    });
  }
}
