import {
  type CommitStatus,
  commentsOf,
  type ForgeClient,
  type ForgeTarget,
  forgeRequest,
} from './forge-client.js';

/** GitHub's comment body limit (docs.github.com: "body is too long (maximum is 65536 characters)"). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** GitHub cuts a status description at 140 characters. */
const DESCRIPTION_LIMIT = 140;
const PAGE = 100;

/**
 * GitHub's REST API (version 2022-11-28): a pull request's conversation comments are issue
 * comments (`GET|POST /repos/{owner}/{repo}/issues/{n}/comments`, `PATCH
 * /repos/{owner}/{repo}/issues/comments/{id}`); statuses are `POST /repos/{owner}/{repo}/statuses/{sha}`.
 * Gitea and Forgejo serve the same paths (`/api/v1`), with a `token` authorization, the comment
 * list unpaged (it returns them all), and no documented comment size (kept to GitHub's).
 */
export function githubClient(target: ForgeTarget, dialect: 'github' | 'gitea' = 'github'): ForgeClient {
  const forge = dialect === 'github' ? 'GitHub' : 'Gitea';
  const headers =
    dialect === 'github'
      ? {
          authorization: `Bearer ${target.token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
        }
      : { authorization: `token ${target.token}` };
  const call = (method: string, path: string, body?: unknown) =>
    forgeRequest(forge, target, headers, method, path, body);
  const repo = `/repos/${target.repo.split('/').map(encodeURIComponent).join('/')}`;
  return {
    forge,
    commentLimit: GITHUB_COMMENT_LIMIT,
    async listComments() {
      const list = `${repo}/issues/${target.number}/comments`;
      if (dialect === 'gitea') return commentsOf(await call('GET', list));
      const all = [];
      for (let page = 1; ; page++) {
        const batch = commentsOf(await call('GET', `${list}?per_page=${PAGE}&page=${page}`));
        all.push(...batch);
        if (batch.length < PAGE) return all;
      }
    },
    async createComment(body) {
      await call('POST', `${repo}/issues/${target.number}/comments`, { body });
    },
    async updateComment(id, body) {
      await call('PATCH', `${repo}/issues/comments/${id}`, { body });
    },
    async setStatus(sha: string, status: CommitStatus) {
      await call('POST', `${repo}/statuses/${sha}`, {
        state: status.state,
        description: status.description.slice(0, DESCRIPTION_LIMIT),
        context: status.context,
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      });
    },
  };
}
