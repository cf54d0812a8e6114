import {
  type CommitStatus,
  commentsOf,
  type ForgeClient,
  type ForgeTarget,
  forgeRequest,
} from './forge-client.js';

/** GitLab's note length limit ("Note is too long (maximum is 1000000 characters)"). */
export const GITLAB_NOTE_LIMIT = 1_000_000;
const PAGE = 100;

/**
 * GitLab's REST API v4: a merge request's comments are notes (`GET|POST
 * /projects/:id/merge_requests/:iid/notes`, `PUT …/notes/:note_id`), the head's status is
 * `POST /projects/:id/statuses/:sha` (`state` success|failed, `name`, `target_url`). `:id` is the
 * project's URL-encoded path; the token goes in `PRIVATE-TOKEN`.
 */
export function gitlabClient(target: ForgeTarget): ForgeClient {
  const call = (method: string, path: string, body?: unknown) =>
    forgeRequest('GitLab', target, { 'private-token': target.token }, method, path, body);
  const project = `/projects/${encodeURIComponent(target.repo)}`;
  const notes = `${project}/merge_requests/${target.number}/notes`;
  return {
    forge: 'GitLab',
    commentLimit: GITLAB_NOTE_LIMIT,
    async listComments() {
      const all = [];
      for (let page = 1; ; page++) {
        const batch = commentsOf(await call('GET', `${notes}?per_page=${PAGE}&page=${page}&sort=asc`));
        all.push(...batch);
        if (batch.length < PAGE) return all;
      }
    },
    async createComment(body) {
      await call('POST', notes, { body });
    },
    async updateComment(id, body) {
      await call('PUT', `${notes}/${id}`, { body });
    },
    async setStatus(sha: string, status: CommitStatus) {
      await call('POST', `${project}/statuses/${sha}`, {
        state: status.state === 'success' ? 'success' : 'failed',
        name: status.context,
        description: status.description,
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      });
    },
  };
}
