import type { FastifyRequest } from 'fastify';
import { WheelhouseError } from '../../core/index.js';
import type { Authenticator } from '../auth.js';
import type { ActiveSession, Sessions } from './sessions.js';

export const SESSION_COOKIE = 'wheelhouse_session';
/** Over https the cookie is `__Host-` prefixed: the browser then insists on Secure, Path=/ and no Domain. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing; every other method needs the CSRF header with a cookie session. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const active = new WeakMap<FastifyRequest, { id: string; session: ActiveSession }>();

/** The session id the request's cookie carries, if any. */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  const id = request.cookies[SECURE_SESSION_COOKIE] ?? request.cookies[SESSION_COOKIE];
  return id && /^[A-Za-z0-9_-]{20,128}$/.test(id) ? id : undefined;
}

/** The dashboard session a request authenticated with (undefined for bearer tokens). */
export function sessionOf(request: FastifyRequest): { id: string; session: ActiveSession } | undefined {
  return active.get(request);
}

/**
 * Accepts the dashboard's session cookie on `/api` (tried when there is no Authorization header).
 * A request that changes something must also carry the session's CSRF token in `X-CSRF-Token`;
 * SameSite=Strict already keeps other sites' requests from carrying the cookie, the token is the
 * second lock.
 */
export function sessionAuthenticator(sessions: Sessions): Authenticator {
  return async (request) => {
    const id = sessionIdOf(request);
    if (id === undefined) return undefined;
    const session = await sessions.resolve(id);
    if (!session) {
      throw new WheelhouseError(
        'UNAUTHENTICATED',
        'your dashboard session has ended (signed out, expired, or its token was removed); sign in again with your token',
      );
    }
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (!sessions.checkCsrf(id, typeof header === 'string' ? header : undefined)) {
        throw new WheelhouseError(
          'FORBIDDEN',
          `${request.method} ${request.url.split('?')[0]} with a session cookie needs the session's CSRF token in the X-CSRF-Token header (GET /api/v1/session returns it); reload the dashboard if this persists`,
        );
      }
    }
    active.set(request, { id, session });
    return session.principal;
  };
}
