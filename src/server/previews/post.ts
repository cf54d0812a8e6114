import {
  type ForgeAccess,
  PREVIEW_FORGES,
  type PreviewForge,
  type PreviewRecord,
  type PreviewReport,
  WheelhouseError,
} from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { bitbucketClient } from './bitbucket-client.js';
import { commentMarker, previewComment } from './comment.js';
import type { CommitStatus, ForgeClient, ForgeTarget } from './forge-client.js';
import { githubClient } from './github-client.js';
import { gitlabClient } from './gitlab-client.js';
import { previewLink } from './summary.js';

/** The status' name on the head commit. */
export const STATUS_CONTEXT = 'wheelhouse/preview';

/**
 * Posts a stored preview on its pull request, when `previews.<forge>` is configured: the one
 * comment carrying this preview's marker is edited (created on the first push), then the head
 * gets a commit status that fails when an app does not render. The body goes through the
 * server's redaction as well, so nothing the config calls secret reaches the forge.
 * Resolves to false when that forge is not configured (nothing posted).
 */
export async function postPreview(
  ctx: ServerContext,
  provider: string,
  record: PreviewRecord,
): Promise<boolean> {
  const posting = ctx.config()?.previews;
  const forge = PREVIEW_FORGES.find((f) => f === provider);
  const access = forge ? posting?.forges[forge] : undefined;
  if (!forge || !access || !posting) return false;
  const client = clientFor(forge, targetOf(ctx, forge, access, record.id), record.url);
  const link = posting.dashboardUrl ? previewLink(posting.dashboardUrl, record.id) : undefined;
  const body = ctx.redact(previewComment(record, { limit: client.commentLimit, ...(link ? { link } : {}) }));
  const marker = commentMarker(record.id);
  const mine = (await client.listComments()).find((c) => c.body.startsWith(marker));
  if (mine) await client.updateComment(mine.id, body);
  else await client.createComment(body);
  await client.setStatus(record.report.revision, ctx.redact(statusOf(record.report, link)));
  return true;
}

/**
 * Success when every app renders and the target refuses nothing; failure naming the first
 * problem's file:line, or the first resource the target's dry run refused (an admission policy).
 */
export function statusOf(report: PreviewReport, link?: string): CommitStatus {
  const failed = report.apps.filter((a) => a.outcome === 'failed');
  const first = failed[0]?.issues[0];
  const refusing = report.apps.find((a) => a.refused?.length);
  const refusal = refusing?.refused?.[0];
  const changed = report.apps.filter((a) => a.outcome === 'changed').length;
  const description = first
    ? `${failed[0]?.app} does not render: ${first.file}:${first.line} ${first.message}`
    : failed.length > 0
      ? `${failed.map((a) => a.app).join(', ')} do not render`
      : refusal
        ? `${refusing?.app}: the target would refuse ${refusal.key}: ${refusal.message}`
        : `${report.apps.length} app(s) render; ${changed} would change`;
  return {
    state: failed.length > 0 || refusal ? 'failure' : 'success',
    description,
    context: STATUS_CONTEXT,
    ...(link ? { targetUrl: link } : {}),
  };
}

function clientFor(forge: PreviewForge, target: ForgeTarget, pullUrl: string | undefined): ForgeClient {
  if (forge === 'gitlab') return gitlabClient(target);
  if (forge === 'bitbucket') return bitbucketClient(target, pullUrl);
  return githubClient(target, forge);
}

/** The pull request of `<provider>:<owner/name>#<number>` with the token from the server's env. */
function targetOf(ctx: ServerContext, forge: PreviewForge, access: ForgeAccess, id: string): ForgeTarget {
  const match = /^[^:]+:(.+)#(\d+)$/.exec(id);
  if (!match?.[1] || !match[2])
    throw new WheelhouseError(
      'INTERNAL',
      `preview id ${id} does not name a pull request as <forge>:<owner/name>#<number>`,
    );
  const token = ctx.env[access.tokenEnv];
  if (!token)
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `previews.${forge}.tokenEnv in wheelhouse.yaml names ${access.tokenEnv}, which is not set in the server's environment; set it to a token that may comment on pull requests and set commit statuses`,
    );
  return {
    apiUrl: access.apiUrl,
    token,
    repo: match[1],
    number: Number(match[2]),
    tokenEnv: access.tokenEnv,
  };
}
