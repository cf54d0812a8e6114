import { errorMessage, type Logger } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { announcePreview } from '../previews/announce.js';
import { postPreview } from '../previews/post.js';
import { matchPushedRepos } from './match.js';
import type { HookEvent } from './provider.js';

/**
 * A verified pull request delivery -> the engine previews the request's head and the newest report
 * is stored under `<provider>:<owner/name>#<number>` (replacing the previous push's). Runs after
 * the reply: forges give a webhook seconds, a render may take longer. When `previews.<forge>` is
 * configured the report is then posted on the pull request (one comment, a commit status); each
 * app touched is announced as `preview.ready` for the notification routes.
 * Failures are logged with the request they were for.
 */
export function previewPullRequest(
  ctx: ServerContext,
  provider: string,
  event: Extract<HookEvent, { kind: 'pull' }>,
  log: Logger,
): Promise<void> {
  const id = `${provider}:${event.id}`;
  const preview = ctx.engine.preview;
  const [repo] = matchPushedRepos(event.repos, ctx.engine.apps()).sources;
  if (!preview || repo === undefined) return Promise.resolve();
  return preview({ repo, ref: event.ref, ...(event.revision ? { revision: event.revision } : {}) })
    .then(async (report) => {
      const record = {
        id,
        ...(event.url ? { url: event.url } : {}),
        ...(event.title ? { title: event.title } : {}),
        report,
        updatedAt: new Date().toISOString(),
      };
      await ctx.store.savePreview(record);
      announcePreview(ctx, record);
      await postPreview(ctx, provider, record).catch((err: unknown) =>
        log.warn({ preview: id }, `posting preview ${id} on the pull request failed: ${errorMessage(err)}`),
      );
    })
    .catch((err: unknown) => log.warn({ preview: id }, `preview of ${id} failed: ${errorMessage(err)}`));
}
