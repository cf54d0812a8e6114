import { forgetGroups, rememberGroups } from '../../access/index.js';
import type { Principal } from '../auth.js';

/** A session opened by single sign-on: who, their groups, and what the provider needs at sign-out. */
export interface SsoSession {
  principal: Principal;
  groups: readonly string[];
  /** The verified email the provider gave, when the actor does not carry it (GitHub). */
  email?: string;
  expiresAt: string;
  /** The ID token signed in with, sent back as `id_token_hint` for RP-initiated logout. */
  idToken?: string;
  /** The provider's end_session_endpoint, when it has one. */
  endSessionUrl?: string;
}

/**
 * Sessions from single sign-on, by the sha256 of their id. They live in this process only (a
 * restart ends them; signing in again is one click at the provider), because the groups they
 * carry are the provider's word at sign-in and are not stored. The person's groups are made known
 * to the access policy while one of their sessions lives.
 */
const holder = (idHash: string) => `web:${idHash}`;

export function createSsoSessions(now: () => Date) {
  const sessions = new Map<string, SsoSession>();
  const forget = (idHash: string): boolean => {
    const session = sessions.get(idHash);
    if (!session) return false;
    sessions.delete(idHash);
    forgetGroups(session.principal.actor, holder(idHash));
    return true;
  };
  return {
    insert(idHash: string, session: SsoSession): void {
      for (const [key, s] of sessions) if (Date.parse(s.expiresAt) <= now().getTime()) forget(key);
      sessions.set(idHash, session);
      rememberGroups(session.principal.actor, session.groups, holder(idHash), session.email);
    },
    get(idHash: string): SsoSession | undefined {
      const session = sessions.get(idHash);
      if (!session) return undefined;
      if (Date.parse(session.expiresAt) <= now().getTime()) {
        forget(idHash);
        return undefined;
      }
      return session;
    },
    delete: forget,
  };
}
