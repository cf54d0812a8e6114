import type { Store, WebSession } from '../../core/index.js';

/** Where sessions live: the store when it keeps them, else this process's memory. */
export interface SessionPersistence {
  insert(session: WebSession): Promise<void>;
  get(idHash: string): Promise<WebSession | undefined>;
  delete(idHash: string): Promise<boolean>;
  deleteExpired(now: string): Promise<number>;
  /** `store` or `memory` (sessions then end when the server restarts). */
  readonly kind: 'store' | 'memory';
}

export function sessionPersistence(store: Store): SessionPersistence {
  const { insertSession, getSession, deleteSession, deleteExpiredSessions } = store;
  if (insertSession && getSession && deleteSession && deleteExpiredSessions) {
    return {
      kind: 'store',
      insert: (session) => insertSession.call(store, session),
      get: (idHash) => getSession.call(store, idHash),
      delete: (idHash) => deleteSession.call(store, idHash),
      deleteExpired: (now) => deleteExpiredSessions.call(store, now),
    };
  }
  const sessions = new Map<string, WebSession>();
  return {
    kind: 'memory',
    async insert(session) {
      sessions.set(session.idHash, { ...session });
    },
    async get(idHash) {
      const session = sessions.get(idHash);
      return session ? { ...session } : undefined;
    },
    async delete(idHash) {
      return sessions.delete(idHash);
    },
    async deleteExpired(now) {
      let removed = 0;
      for (const [key, session] of sessions) {
        if (session.expiresAt <= now) {
          sessions.delete(key);
          removed += 1;
        }
      }
      return removed;
    },
  };
}
