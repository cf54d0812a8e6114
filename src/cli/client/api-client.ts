import { type ErrorCode, errorMessage, WheelhouseError } from '../../core/index.js';
import type { Connection } from './connection.js';
import { readEventStream, type SseMessage } from './event-stream.js';

export interface ApiClient {
  readonly url: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** Opens a server-sent-events stream; the iterator ends when the server closes it. */
  stream(
    path: string,
    options?: { signal?: AbortSignal; lastEventId?: string },
  ): Promise<AsyncIterable<SseMessage>>;
}

const KNOWN_CODES = new Set<string>([
  'BAD_REQUEST',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'LOCKED',
  'APPROVAL_REQUIRED',
  'UNAVAILABLE',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'INPUT_REFUSED',
]);

/** A thin fetch client that turns every failure into an error saying what to do. */
export function createApiClient(connection: Connection, fetchImpl: typeof fetch = fetch): ApiClient {
  const request = async (method: string, path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${connection.token}`);
    let response: Response;
    try {
      response = await fetchImpl(`${connection.url}${path}`, { ...init, method, headers });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new WheelhouseError(
        'UNAVAILABLE',
        `no server at ${connection.url} — start one with \`wheelhouse up\` (or point WHEELHOUSE_URL / --url at a running one)`,
        { cause: err },
      );
    }
    if (response.ok) return response;
    throw await failure(response, connection, method, path);
  };
  const json = async <T>(response: Response, path: string): Promise<T> => {
    try {
      return (await response.json()) as T;
    } catch (err) {
      throw new WheelhouseError(
        'INTERNAL',
        `the server at ${connection.url} sent a response to ${path} that is not JSON: ${errorMessage(err)}; is WHEELHOUSE_URL pointing at Wheelhouse?`,
      );
    }
  };
  return {
    url: connection.url,
    async get<T>(path: string) {
      return json<T>(await request('GET', path), path);
    },
    async post<T>(path: string, body?: unknown) {
      const init: RequestInit =
        body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
      return json<T>(await request('POST', path, init), path);
    },
    async stream(path, options = {}) {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
      const response = await request('GET', path, {
        headers,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return readEventStream(response);
    },
  };
}

async function failure(
  response: Response,
  connection: Connection,
  method: string,
  path: string,
): Promise<WheelhouseError> {
  let code = 'INTERNAL';
  let message = `${method} ${path} failed with HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // not our JSON error body: keep the status line
  }
  if (response.status === 401) {
    return new WheelhouseError(
      'UNAUTHENTICATED',
      `token refused by ${connection.url} (token from ${connection.tokenSource}): set WHEELHOUSE_TOKEN to a valid token, or pass --data <dir> with the data dir of the running \`wheelhouse up\``,
    );
  }
  const known: ErrorCode = KNOWN_CODES.has(code)
    ? (code as ErrorCode)
    : response.status >= 500
      ? 'INTERNAL'
      : 'BAD_REQUEST';
  return new WheelhouseError(known === 'INTERNAL' ? 'UNAVAILABLE' : known, message, {
    details: { status: response.status, code },
  });
}
