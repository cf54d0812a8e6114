import type { Session, SignedOut, SignInMethods } from './types.js';

/** A failed API call: the API's `{ error: { code, message } }`, or what went wrong on the way. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | undefined;
const endedListeners = new Set<() => void>();

/** The CSRF token of the current session, sent with every request that changes something. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the API answers 401: the session ended (signed out elsewhere, expired, token removed). */
export function onSessionEnded(listener: () => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = `the server answered ${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  return new ApiError(response.status, code, message);
}

/**
 * Calls the API with the session cookie (same origin). Requests that change something carry the
 * CSRF token. A 401 tells the app the session ended.
 */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'could not reach the Wheelhouse server; check that `wheelhouse up` is running and try again',
    );
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && path !== '/api/v1/session')
      for (const listener of endedListeners) listener();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Signs in with a token; the server sets the session cookie. */
export async function signIn(token: string): Promise<Session> {
  const session = await request<Session>('POST', '/api/v1/session', { token });
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current session, or undefined when there is none. */
export async function currentSession(): Promise<Session | undefined> {
  try {
    const session = await request<Session>('GET', '/api/v1/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return undefined;
    throw err;
  }
}

/** Ends the session; a single sign-on session answers where to end the provider's session too. */
export async function signOut(): Promise<SignedOut> {
  try {
    return await request<SignedOut>('DELETE', '/api/v1/session');
  } finally {
    setCsrfToken(undefined);
  }
}

/** How this server lets people sign in (single sign-on when configured, tokens always). */
export function signInMethods(): Promise<SignInMethods> {
  return request<SignInMethods>('GET', '/api/v1/session/methods');
}

/** `encodeURIComponent` for path segments. */
export const seg = (value: string) => encodeURIComponent(value);

/** What failed and what to do, for a person: `Could not sync web: <the API's message>`. */
export function describeError(what: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `Could not ${what}: ${message}`;
}
