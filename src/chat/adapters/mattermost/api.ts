import { errorMessage, WheelhouseError } from '../../../core/index.js';
import { restCall } from '../rest-call.js';
import type { MattermostPostBody } from './render.js';

/**
 * The Mattermost REST API v4 calls the bot makes, with its bearer token: create and update posts
 * (`POST /api/v4/posts`, `PUT /api/v4/posts/{id}`), read one, and who the bot is. Rate limits
 * (429) are waited out; errors carry Mattermost's error id and never the token.
 */
export interface MattermostPost {
  id: string;
  channel_id: string;
  root_id: string;
  user_id: string;
  message: string;
  props?: Record<string, unknown>;
}

export interface MattermostUser {
  id: string;
  username: string;
}

export interface MattermostApi {
  createPost(input: MattermostPostBody & { channel_id: string; root_id?: string }): Promise<MattermostPost>;
  updatePost(id: string, body: MattermostPostBody): Promise<MattermostPost>;
  getPost(id: string): Promise<MattermostPost>;
  me(): Promise<MattermostUser>;
}

export class MattermostApiError extends WheelhouseError {
  readonly status: number;
  readonly errorId: string | undefined;
  constructor(status: number, errorId: string | undefined, message: string) {
    super(
      status === 401 || status === 403 ? 'FORBIDDEN' : status >= 500 ? 'UNAVAILABLE' : 'BAD_REQUEST',
      message,
      {
        details: { status, ...(errorId ? { errorId } : {}) },
      },
    );
    this.status = status;
    this.errorId = errorId;
  }
}

export function createMattermostApi(options: {
  url: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): MattermostApi {
  async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const answer = await restCall({
      url: `${options.url}/api/v4${path}`,
      method,
      headers: { authorization: `Bearer ${options.token}`, 'x-requested-with': 'XMLHttpRequest' },
      body,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      retryAfterSeconds: (response) =>
        Number(response.headers.get('retry-after') ?? response.headers.get('x-ratelimit-reset') ?? 1),
      unreachable: (err) =>
        new WheelhouseError(
          'UNAVAILABLE',
          `Mattermost ${method} /api/v4${path} failed: ${errorMessage(err)}; is chat.mattermost.url (${options.url}) reachable?`,
          { cause: err },
        ),
    });
    if (answer.ok) return answer.json as T;
    const info = (answer.json ?? {}) as { id?: string; message?: string };
    const hint =
      answer.status === 401
        ? ' — check the bot token (chat.mattermost.botTokenEnv)'
        : answer.status === 403
          ? ' — is the bot a member of that channel, and may it post there?'
          : '';
    throw new MattermostApiError(
      answer.status,
      info.id,
      `Mattermost ${method} /api/v4${path} failed: ${answer.status} ${info.message ?? answer.statusText}${info.id ? ` (${info.id})` : ''}${hint}`,
    );
  }
  return {
    createPost: (input) => call('POST', '/posts', input),
    updatePost: (id, body) => call('PUT', `/posts/${encodeURIComponent(id)}`, { id, ...body }),
    getPost: (id) => call('GET', `/posts/${encodeURIComponent(id)}`),
    me: () => call('GET', '/users/me'),
  };
}
