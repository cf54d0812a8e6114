// Dashboard sign-in: sessions held in an HttpOnly cookie, CSRF tokens, sign-in and sign-out routes.
export {
  CSRF_HEADER,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sessionAuthenticator,
  sessionOf,
} from './authenticator.js';
export { type SessionRouteOptions, sessionRoutes, signInRoutes } from './routes.js';
export {
  type ActiveSession,
  createSessions,
  DEFAULT_SESSION_TTL_MS,
  type Sessions,
  type SignedIn,
} from './sessions.js';
