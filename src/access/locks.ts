import type { Lock, Person } from '../core/index.js';
import { displayName, type Identity, resolveIdentity, samePerson } from './identity.js';

export type LockCheck = { ok: true } | { ok: false; reason: string };

export function describeLock(lock: Lock, people: readonly Person[]): string {
  const holder = displayName(resolveIdentity(lock.holder, people));
  return `locked by ${holder} since ${lock.createdAt}${lock.reason ? `: ${lock.reason}` : ''}`;
}

/**
 * A locked app refuses mutating commands from anyone but the holder (the same person on another
 * platform counts as the holder). Breaking a lock is `unlock --force`, which needs admin.
 */
export function checkLock(
  lock: Lock | undefined,
  identity: Identity,
  people: readonly Person[],
  app: string,
): LockCheck {
  if (!lock) return { ok: true };
  if (samePerson(resolveIdentity(lock.holder, people), identity)) return { ok: true };
  return {
    ok: false,
    reason: `app ${app} is ${describeLock(lock, people)}; ask them to \`unlock ${app}\`, or an admin can \`unlock ${app} --force\``,
  };
}
