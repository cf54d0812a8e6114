import { setTimeout as sleep } from 'node:timers/promises';
import { WheelhouseError } from '../../../core/index.js';
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
  const doFetch = options.fetch ?? fetch;
  async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(`${options.url}/api/v4${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            'x-requested-with': 'XMLHttpRequest',
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (err) {
        if (attempt < 3) {
          await sleep(250 * attempt);
          continue;
        }
        throw new WheelhouseError(
          'UNAVAILABLE',
          `Mattermost ${method} /api/v4${path} failed: ${err instanceof Error ? err.message : String(err)}; is chat.mattermost.url (${options.url}) reachable?`,
          { cause: err },
        );
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      if (response.ok) return json as T;
      if (response.status === 429 && attempt < 5) {
        const reset = Number(
          response.headers.get('retry-after') ?? response.headers.get('x-ratelimit-reset') ?? 1,
        );
        await sleep(Math.min(30_000, Math.max(50, (Number.isFinite(reset) ? reset : 1) * 1000)));
        continue;
      }
      if (response.status >= 500 && attempt < 3) {
        await sleep(250 * attempt);
        continue;
      }
      const info = (json ?? {}) as { id?: string; message?: string };
      const hint =
        response.status === 401
          ? ' — check the bot token (chat.mattermost.botTokenEnv)'
          : response.status === 403
            ? ' — is the bot a member of that channel, and may it post there?'
            : '';
      throw new MattermostApiError(
        response.status,
        info.id,
        `Mattermost ${method} /api/v4${path} failed: ${response.status} ${info.message ?? response.statusText}${info.id ? ` (${info.id})` : ''}${hint}`,
      );
    }
  }
  return {
    createPost: (input) => call('POST', '/posts', input),
    updatePost: (id, body) => call('PUT', `/posts/${encodeURIComponent(id)}`, { id, ...body }),
    getPost: (id) => call('GET', `/posts/${encodeURIComponent(id)}`),
    me: () => call('GET', '/users/me'),
  };
}
