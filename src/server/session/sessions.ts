import { createHmac, randomBytes } from 'node:crypto';
import type { Logger, Store } from '../../core/index.js';
import { hashToken, safeEqual } from '../../util/index.js';
import { type Principal, principalForToken } from '../auth.js';
import { type SessionPersistence, sessionPersistence } from './session-store.js';
import { createSsoSessions, type SsoSession } from './sso-sessions.js';

/** Sessions last this long from sign-in unless the server says otherwise. */
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface SessionsOptions {
  store: Store;
  /** The admin token: signing in with it is the user `admin`. */
  adminToken: string;
  ttlMs?: number;
  now?: () => Date;
  log: Logger;
}

/** A session as a request sees it: who, until when, and the CSRF token its writes must carry. */
export interface ActiveSession {
  principal: Principal;
  expiresAt: string;
  csrfToken: string;
  /** Set for single sign-on sessions: the groups and what RP-initiated logout needs. */
  sso?: SsoSession;
}

export interface SignedIn extends ActiveSession {
  /** The session id: the cookie's value. Given to the browser once, never stored. */
  id: string;
}

export interface Sessions {
  /** Exchanges a token for a new session; undefined when the token is refused. */
  signIn(token: string): Promise<SignedIn | undefined>;
  /** Opens a session for a person the identity provider vouched for (single sign-on). */
  signInPerson(session: Omit<SsoSession, 'expiresAt'>): SignedIn;
  /** The live session behind a cookie value; undefined when unknown, expired or its token is gone. */
  resolve(id: string): Promise<ActiveSession | undefined>;
  /** Revokes the session (sign-out); false when there was none. */
  signOut(id: string): Promise<boolean>;
  /** True when `presented` is the session's CSRF token (constant-time). */
  checkCsrf(id: string, presented: string | undefined): boolean;
  readonly ttlMs: number;
  /** `store` or `memory`. */
  readonly persistence: SessionPersistence['kind'];
}

const CSRF_CONTEXT = 'wheelhouse dashboard csrf v1';

/** The session's CSRF token: derived from the session id, so nothing more is stored. */
function csrfFor(id: string): string {
  return createHmac('sha256', id).update(CSRF_CONTEXT).digest('base64url');
}

function sessionPrincipal(user: string): Principal {
  return { user, actor: `web:${user}`, via: 'session' };
}

/**
 * Dashboard sessions: a personal token (or the admin token) is exchanged for a random session id
 * held in a cookie. Only hashes are stored: of the session id, and of the token, so that removing
 * a user (or replacing the admin token) ends their sessions at once.
 */
export function createSessions(options: SessionsOptions): Sessions {
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const persistence = sessionPersistence(options.store);
  const adminHash = hashToken(options.adminToken);
  const log = options.log;
  const ssoSessions = createSsoSessions(now);

  async function tokenStillValid(user: string, tokenHash: string): Promise<boolean> {
    if (user === 'admin') return safeEqual(tokenHash, adminHash);
    const found = await options.store.findUserByTokenHash(tokenHash);
    return found?.name === user;
  }

  return {
    ttlMs,
    persistence: persistence.kind,
    async signIn(token) {
      const principal = await principalForToken(token, options);
      if (!principal) return undefined;
      const at = now();
      await persistence.deleteExpired(at.toISOString()).catch((err: unknown) => {
        log.warn({ err: String(err) }, 'could not prune expired dashboard sessions');
      });
      const id = randomBytes(32).toString('base64url');
      const expiresAt = new Date(at.getTime() + ttlMs).toISOString();
      await persistence.insert({
        idHash: hashToken(id),
        user: principal.user,
        tokenHash: hashToken(token),
        createdAt: at.toISOString(),
        expiresAt,
      });
      return { id, principal: sessionPrincipal(principal.user), expiresAt, csrfToken: csrfFor(id) };
    },
    signInPerson(sso) {
      const id = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now().getTime() + ttlMs).toISOString();
      const session = { ...sso, expiresAt };
      ssoSessions.insert(hashToken(id), session);
      return { id, principal: sso.principal, expiresAt, csrfToken: csrfFor(id), sso: session };
    },
    async resolve(id) {
      const idHash = hashToken(id);
      const sso = ssoSessions.get(idHash);
      if (sso) return { principal: sso.principal, expiresAt: sso.expiresAt, csrfToken: csrfFor(id), sso };
      const session = await persistence.get(idHash);
      if (!session) return undefined;
      if (Date.parse(session.expiresAt) <= now().getTime()) {
        await persistence.delete(idHash);
        return undefined;
      }
      if (!(await tokenStillValid(session.user, session.tokenHash))) {
        await persistence.delete(idHash);
        return undefined;
      }
      return {
        principal: sessionPrincipal(session.user),
        expiresAt: session.expiresAt,
        csrfToken: csrfFor(id),
      };
    },
    async signOut(id) {
      if (ssoSessions.delete(hashToken(id))) return true;
      return persistence.delete(hashToken(id));
    },
    checkCsrf(id, presented) {
      if (presented === undefined || presented === '') return false;
      return safeEqual(presented, csrfFor(id));
    },
  };
}
