import { WheelhouseError } from '../../core/index.js';
import type { CommitStatus, ForgeClient, ForgeComment, ForgeTarget } from './forge-client.js';
import { forgeRequest } from './forge-client.js';

/** Bitbucket Cloud documents no comment size limit; comments are kept to GitHub's. */
export const BITBUCKET_COMMENT_LIMIT = 65_536;
const PAGE = 100;

/**
 * Bitbucket Cloud's REST API 2.0: pull request comments (`GET|POST
 * /repositories/{workspace}/{repo}/pullrequests/{id}/comments`, `PUT …/comments/{comment_id}`, body
 * `{content: {raw}}`, lists paged with `pagelen` and `next`) and build statuses (`POST
 * …/commit/{hash}/statuses/build` with `key`, `state` SUCCESSFUL|FAILED, `name`, `url` — required —
 * and `description`). A token with a `:` is `username:app-password` (basic); otherwise an access
 * token (bearer).
 */
export function bitbucketClient(target: ForgeTarget, pullUrl?: string): ForgeClient {
  const authorization = target.token.includes(':')
    ? `Basic ${Buffer.from(target.token).toString('base64')}`
    : `Bearer ${target.token}`;
  const call = (method: string, path: string, body?: unknown) =>
    forgeRequest('Bitbucket', target, { authorization }, method, path, body);
  const repo = `/repositories/${target.repo.split('/').map(encodeURIComponent).join('/')}`;
  const comments = `${repo}/pullrequests/${target.number}/comments`;
  return {
    forge: 'Bitbucket',
    commentLimit: BITBUCKET_COMMENT_LIMIT,
    async listComments() {
      const all: ForgeComment[] = [];
      for (let page = 1; ; page++) {
        const answer = (await call('GET', `${comments}?pagelen=${PAGE}&page=${page}`)) as
          | { values?: unknown; next?: unknown }
          | undefined;
        const values = Array.isArray(answer?.values) ? answer.values : [];
        for (const value of values) {
          const { id, content } = (value ?? {}) as { id?: unknown; content?: { raw?: unknown } };
          if (typeof id === 'number' && typeof content?.raw === 'string') all.push({ id, body: content.raw });
        }
        if (typeof answer?.next !== 'string' || values.length === 0) return all;
      }
    },
    async createComment(body) {
      await call('POST', comments, { content: { raw: body } });
    },
    async updateComment(id, body) {
      await call('PUT', `${comments}/${id}`, { content: { raw: body } });
    },
    async setStatus(sha: string, status: CommitStatus) {
      const url = status.targetUrl ?? pullUrl;
      if (!url)
        throw new WheelhouseError(
          'CONFIG_INVALID',
          `Bitbucket needs a link for the build status of ${target.repo}#${target.number}; set previews.dashboardUrl in wheelhouse.yaml`,
        );
      await call('POST', `${repo}/commit/${sha}/statuses/build`, {
        key: status.context.replace(/[^A-Za-z0-9_-]/g, '-'),
        state: status.state === 'success' ? 'SUCCESSFUL' : 'FAILED',
        name: status.context,
        description: status.description.slice(0, 255),
        url,
      });
    },
  };
}
