import type { ServerResponse } from 'node:http';
import type { EmulatedComment, EmulatedStatus } from './forge-pulls.js';

/** What the Bitbucket Cloud routes of the forge emulator share with it. */
export interface BitbucketState {
  repo: string;
  pulls: Set<number>;
  comments: EmulatedComment[];
  statuses: EmulatedStatus[];
  nextId(): number;
  send(res: ServerResponse, status: number, body: unknown): void;
}

const STATES = ['SUCCESSFUL', 'FAILED', 'INPROGRESS', 'STOPPED'];

/**
 * Bitbucket Cloud 2.0 under `/2.0/repositories/{ws}/{repo}` (see forge-pulls.ts): pull request
 * comments as `{id, content: {raw}}` in paged answers, and build statuses that need `key`, `state`
 * and `url` (400 with Bitbucket's error shape otherwise).
 */
export function bitbucketRoute(
  state: BitbucketState,
  method: string,
  path: string,
  query: URLSearchParams,
  input: Record<string, unknown>,
  res: ServerResponse,
) {
  const { send } = state;
  const error = (status: number, message: string) => send(res, status, { type: 'error', error: { message } });
  const json = (c: EmulatedComment) => ({
    id: c.id,
    type: 'pullrequest_comment',
    content: { raw: c.body, markup: 'markdown', html: '' },
    user: { display_name: 'Wheelhouse' },
  });
  const raw = (input.content as { raw?: unknown } | undefined)?.raw;
  const list = /^\/pullrequests\/(\d+)\/comments$/.exec(path);
  const one = /^\/pullrequests\/(\d+)\/comments\/(\d+)$/.exec(path);
  const pull = Number((list ?? one)?.[1]);
  if ((list || one) && !state.pulls.has(pull)) return error(404, 'Pull request not found');
  if (list && method === 'GET') {
    const pagelen = Math.min(100, Number(query.get('pagelen') ?? 10));
    const page = Number(query.get('page') ?? 1);
    const mine = state.comments.filter((c) => c.pull === pull);
    const values = mine.slice((page - 1) * pagelen, page * pagelen).map(json);
    const next =
      page * pagelen < mine.length ? { next: `https://api.bitbucket.test/next?page=${page + 1}` } : {};
    return send(res, 200, { pagelen, page, size: mine.length, values, ...next });
  }
  if (list && method === 'POST') {
    if (typeof raw !== 'string' || raw === '') return error(400, 'content.raw: This field is required.');
    const comment = { id: state.nextId(), pull, body: raw, edits: 0 };
    state.comments.push(comment);
    return send(res, 201, json(comment));
  }
  if (one && method === 'PUT') {
    const comment = state.comments.find((c) => c.id === Number(one[2]) && c.pull === pull);
    if (!comment) return error(404, 'Comment not found');
    if (typeof raw !== 'string') return error(400, 'content.raw: This field is required.');
    comment.body = raw;
    comment.edits++;
    return send(res, 200, json(comment));
  }
  const status = /^\/commit\/([0-9a-f]{40})\/statuses\/build$/.exec(path);
  if (status?.[1] && method === 'POST') {
    const { key, state: value, url, name, description } = input;
    if (typeof key !== 'string' || key === '') return error(400, 'key: This field is required.');
    if (typeof value !== 'string' || !STATES.includes(value))
      return error(400, `state: must be one of ${STATES.join(', ')}`);
    if (typeof url !== 'string' || url === '') return error(400, 'url: This field is required.');
    const entry: EmulatedStatus = {
      sha: status[1],
      state: value,
      context: typeof name === 'string' ? name : key,
      description: typeof description === 'string' ? description : '',
      targetUrl: url,
    };
    state.statuses.push(entry);
    return send(res, 201, { key, ...entry });
  }
  return error(404, 'Resource not found');
}
