import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bitbucketRoute } from './bitbucket-pulls.js';
import { readBody, serveLoopback } from './ci-plan.js';

/**
 * The pull request comment and commit status endpoints of GitHub, GitLab and Gitea, as their
 * REST API docs define them (what Wheelhouse posts previews with):
 * - GitHub (docs.github.com/rest/issues/comments, /rest/commits/statuses, API 2022-11-28):
 *   `GET|POST /repos/{o}/{r}/issues/{n}/comments` (`per_page` default 30, max 100, `page`),
 *   `PATCH /repos/{o}/{r}/issues/comments/{id}`, `POST /repos/{o}/{r}/statuses/{sha}` with `state`
 *   error|failure|pending|success, `context`, `description`, `target_url`; bearer or `token`
 *   authorization (401 "Bad credentials"); a body over 65,536 characters is 422.
 * - Gitea (`/api/v1`, gitea.com/api/swagger): the same paths; the comment list is not paged;
 *   status states add `warning`; `Authorization: token …`.
 * - GitLab (`/api/v4`, docs.gitlab.com/api/notes, /api/commits#set-the-pipeline-status-of-a-commit):
 *   `GET|POST /projects/:id/merge_requests/:iid/notes` (`per_page` default 20, max 100, `page`,
 *   `sort` asc|desc, default desc), `PUT …/notes/:note_id`, `POST /projects/:id/statuses/:sha` with
 *   `state` pending|running|success|failed|canceled|skipped and `name`; `PRIVATE-TOKEN` (401
 *   "401 Unauthorized"); a note over 1,000,000 characters is 400.
 * - Bitbucket Cloud (`/2.0`, developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests,
 *   api-group-commit-statuses): `GET|POST /repositories/{ws}/{repo}/pullrequests/{id}/comments`
 *   (`{content: {raw}}`; answers paged `{values, page, pagelen (default 10, max 100), next}`),
 *   `PUT …/comments/{comment_id}`, `POST /repositories/{ws}/{repo}/commit/{hash}/statuses/build`
 *   with `key`, `state` SUCCESSFUL|FAILED|INPROGRESS|STOPPED and `url` required (400 otherwise);
 *   bearer authorization (401).
 * Pull requests must be opened with `openPull(n)` first (404 otherwise), as on the forge.
 */
export type EmulatedForge = 'github' | 'gitlab' | 'gitea' | 'bitbucket';

export interface EmulatedComment {
  id: number;
  pull: number;
  body: string;
  edits: number;
}

export interface EmulatedStatus {
  sha: string;
  state: string;
  context: string;
  description: string;
  targetUrl?: string;
}

export interface ForgeEmulator {
  forge: EmulatedForge;
  /** The API root Wheelhouse is configured with (`previews.<forge>.apiUrl`). */
  apiUrl: string;
  token: string;
  repo: string;
  comments: EmulatedComment[];
  statuses: EmulatedStatus[];
  openPull(number: number): void;
  close(): Promise<void>;
}

const LIMIT: Record<EmulatedForge, number> = {
  github: 65_536,
  gitea: 1_000_000_000,
  gitlab: 1_000_000,
  bitbucket: 1_000_000_000,
};
const STATES: Record<EmulatedForge, string[]> = {
  github: ['error', 'failure', 'pending', 'success'],
  gitea: ['pending', 'success', 'error', 'failure', 'warning'],
  gitlab: ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'],
  bitbucket: ['SUCCESSFUL', 'FAILED', 'INPROGRESS', 'STOPPED'],
};
const ROOT: Record<EmulatedForge, string> = {
  github: '',
  gitea: '/api/v1',
  gitlab: '/api/v4',
  bitbucket: '/2.0',
};

export async function startForgeEmulator(forge: EmulatedForge, repo = 'acme/deploy'): Promise<ForgeEmulator> {
  const token = randomBytes(16).toString('hex');
  const pulls = new Set<number>();
  const comments: EmulatedComment[] = [];
  const statuses: EmulatedStatus[] = [];
  let nextId = 1000;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const json = (c: EmulatedComment) => ({
    id: c.id,
    body: c.body,
    ...(forge === 'gitlab'
      ? {
          author: { username: 'wheelhouse' },
          system: false,
          noteable_type: 'MergeRequest',
          noteable_iid: c.pull,
        }
      : {
          user: { login: 'wheelhouse' },
          html_url: `https://forge.test/${repo}/pull/${c.pull}#comment-${c.id}`,
        }),
  });
  const authorized = (req: IncomingMessage) =>
    forge === 'gitlab'
      ? req.headers['private-token'] === token || req.headers.authorization === `Bearer ${token}`
      : req.headers.authorization === `token ${token}` || req.headers.authorization === `Bearer ${token}`;
  const tooLong = (body: string) => body.length > LIMIT[forge];
  const tooLongAnswer = (res: ServerResponse) =>
    forge === 'gitlab'
      ? send(res, 400, { message: { note: [`is too long (maximum is ${LIMIT.gitlab} characters)`] } })
      : send(res, 422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: `body is too long (maximum is ${LIMIT[forge]} characters)`,
            },
          ],
        });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = new URL(req.url ?? '/', 'http://x');
    const root = ROOT[forge];
    const prefix =
      forge === 'gitlab'
        ? `${root}/projects/${encodeURIComponent(repo)}`
        : forge === 'bitbucket'
          ? `${root}/repositories/${repo}`
          : `${root}/repos/${repo}`;
    if (!authorized(req))
      return send(
        res,
        401,
        forge === 'gitlab' ? { message: '401 Unauthorized' } : { message: 'Bad credentials' },
      );
    if (!at.pathname.startsWith(prefix)) return send(res, 404, { message: 'Not Found' });
    const path = at.pathname.slice(prefix.length);
    const input =
      req.method === 'GET' ? {} : (JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>);
    if (forge === 'bitbucket') {
      const state = { repo, pulls, comments, statuses, nextId: () => nextId++, send };
      return bitbucketRoute(state, req.method ?? 'GET', path, at.searchParams, input, res);
    }
    const list =
      forge === 'gitlab'
        ? /^\/merge_requests\/(\d+)\/notes$/.exec(path)
        : /^\/issues\/(\d+)\/comments$/.exec(path);
    if (list) {
      const pull = Number(list[1]);
      if (!pulls.has(pull)) return send(res, 404, { message: 'Not Found' });
      if (req.method === 'GET') {
        let mine = comments.filter((c) => c.pull === pull);
        if (forge === 'gitlab' && at.searchParams.get('sort') !== 'asc') mine = [...mine].reverse();
        if (forge !== 'gitea') {
          const per = Math.min(
            100,
            Number(at.searchParams.get('per_page') ?? (forge === 'github' ? 30 : 20)),
          );
          const page = Number(at.searchParams.get('page') ?? 1);
          mine = mine.slice((page - 1) * per, page * per);
        }
        return send(res, 200, mine.map(json));
      }
      if (req.method === 'POST') {
        const body = input.body;
        if (typeof body !== 'string' || body === '') return send(res, 422, { message: 'body is missing' });
        if (tooLong(body)) return tooLongAnswer(res);
        const comment = { id: nextId++, pull, body, edits: 0 };
        comments.push(comment);
        return send(res, 201, json(comment));
      }
    }
    const edit =
      forge === 'gitlab'
        ? /^\/merge_requests\/(\d+)\/notes\/(\d+)$/.exec(path)
        : /^\/issues\/comments\/(\d+)$/.exec(path);
    const editMethod = forge === 'gitlab' ? 'PUT' : 'PATCH';
    if (edit && req.method === editMethod) {
      const id = Number(forge === 'gitlab' ? edit[2] : edit[1]);
      const comment = comments.find((c) => c.id === id && (forge !== 'gitlab' || c.pull === Number(edit[1])));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      const body = input.body;
      if (typeof body !== 'string') return send(res, 422, { message: 'body is missing' });
      if (tooLong(body)) return tooLongAnswer(res);
      comment.body = body;
      comment.edits++;
      return send(res, 200, json(comment));
    }
    const status = /^\/statuses\/([0-9a-f]{40})$/.exec(path);
    if (status?.[1] && req.method === 'POST') {
      const state = input.state;
      if (typeof state !== 'string' || !STATES[forge].includes(state))
        return send(res, forge === 'gitlab' ? 400 : 422, {
          message: `state must be one of ${STATES[forge].join(', ')}`,
        });
      const context = forge === 'gitlab' ? input.name : input.context;
      const entry: EmulatedStatus = {
        sha: status[1],
        state,
        context: typeof context === 'string' ? context : 'default',
        description: typeof input.description === 'string' ? input.description : '',
        ...(typeof input.target_url === 'string' ? { targetUrl: input.target_url } : {}),
      };
      statuses.push(entry);
      return send(res, 201, { id: statuses.length, ...entry });
    }
    return send(res, 404, { message: 'Not Found' });
  }

  const server = await serveLoopback(handle);
  const apiUrl = `${server.url}${ROOT[forge]}`;
  return {
    forge,
    apiUrl,
    token,
    repo,
    comments,
    statuses,
    openPull: (number) => pulls.add(number),
    close: server.close,
  };
}
