import { setTimeout as sleep } from 'node:timers/promises';
import { type ErrorCode, errorMessage, WheelhouseError } from '../../../core/index.js';
import type { TokenClient } from './token-client.js';

/** Where a conversation's messages go: the connector at its service URL. */
export interface ConnectorTarget {
  serviceUrl: string;
  /** The connector's conversation id (for a channel thread: `<channel>;messageid=<root>`). */
  conversationId: string;
}

export interface Connector {
  /** A new message in the conversation (a new thread in a Teams channel); returns its id. */
  send(target: ConnectorTarget, activity: Record<string, unknown>): Promise<string>;
  /** A reply to an activity (in its thread); returns the new id. */
  reply(target: ConnectorTarget, replyToId: string, activity: Record<string, unknown>): Promise<string>;
  /** Replace a message the bot sent. */
  update(target: ConnectorTarget, activityId: string, activity: Record<string, unknown>): Promise<void>;
}

export interface ConnectorOptions {
  tokens: TokenClient;
  /** The service URL allow-list check: nothing is sent anywhere else. */
  allowed(serviceUrl: string): boolean;
  timeoutMs?: number;
}

/** The Bot Framework connector REST API (`/v3/conversations/...`), with the bot's bearer token. */
export function createConnector(options: ConnectorOptions): Connector {
  async function call(
    method: 'POST' | 'PUT',
    target: ConnectorTarget,
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ id?: string }> {
    if (!options.allowed(target.serviceUrl)) {
      throw new WheelhouseError(
        'FORBIDDEN',
        `refusing to send to the service URL ${safeOrigin(target.serviceUrl)}: it is not in chat.teams.serviceUrls`,
      );
    }
    const base = target.serviceUrl.endsWith('/') ? target.serviceUrl : `${target.serviceUrl}/`;
    const url = new URL(`v3/conversations/${encodeURIComponent(target.conversationId)}${path}`, base);
    if (url.origin !== new URL(base).origin) {
      throw new WheelhouseError('FORBIDDEN', 'a conversation id tried to leave the service URL; refused');
    }
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${await options.tokens.token()}`,
            'content-type': 'application/json; charset=utf-8',
            accept: 'application/json',
          },
          body: JSON.stringify(body),
          redirect: 'error',
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (err) {
        // Only an update is safe to send again: a POST may have landed before the connection broke.
        if (attempt < 2 && method === 'PUT') continue;
        throw new WheelhouseError(
          'UNAVAILABLE',
          `the Teams connector at ${url.origin} did not answer: ${errorMessage(err)}`,
          { cause: err },
        );
      }
      if (response.ok) return (await response.json().catch(() => ({}))) as { id?: string };
      if (response.status === 401 && !refreshed) {
        // The token may have been revoked or rotated: fetch a new one once.
        refreshed = true;
        options.tokens.invalidate();
        continue;
      }
      // 429 and 503 mean "not processed, try later".
      if ((response.status === 429 || response.status === 503) && attempt < 2) {
        const after = Number(response.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 5) * 1000 : 1000);
        continue;
      }
      const error = (await response.json().catch(() => ({}))) as {
        error?: { code?: string; message?: string };
        message?: string;
      };
      const what = error.error?.code ?? error.message ?? `HTTP ${response.status}`;
      const detail = error.error?.message ? `: ${error.error.message}` : '';
      throw new WheelhouseError(
        codeFor(response.status),
        `the Teams connector refused ${method} ${url.pathname} (${response.status} ${what}${detail})${hintFor(response.status)}`,
      );
    }
  }

  return {
    async send(target, activity) {
      return idOf(await call('POST', target, '/activities', activity));
    },
    async reply(target, replyToId, activity) {
      return idOf(
        await call('POST', target, `/activities/${encodeURIComponent(replyToId)}`, {
          ...activity,
          replyToId,
        }),
      );
    },
    async update(target, activityId, activity) {
      await call('PUT', target, `/activities/${encodeURIComponent(activityId)}`, {
        ...activity,
        id: activityId,
      });
    },
  };
}

function idOf(result: { id?: string }): string {
  if (!result.id)
    throw new WheelhouseError('UNAVAILABLE', 'the Teams connector answered without an activity id');
  return result.id;
}

function codeFor(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 400 || status === 413) return 'BAD_REQUEST';
  return 'UNAVAILABLE';
}

function hintFor(status: number): string {
  if (status === 401) return ' — the bot token was refused: check chat.teams.appId and its client secret';
  if (status === 403) return ' — the bot may not post there: is the app installed in that team or chat?';
  if (status === 404) return ' — the conversation or message is gone, or the app was removed from it';
  return '';
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}
