/**
 * Group membership told by an identity provider at sign-in (OIDC's groups claim, GitHub's org
 * teams), by actor. The access policy is evaluated from actor ids everywhere (chat, API, approvals
 * decided later), so membership is kept beside them rather than threaded through every call: the
 * sign-in that last saw a person sets their groups, and a session that ends forgets them.
 * Membership lives in this process only: after a restart a person's groups count again from their
 * next sign-in (their OIDC session ends with the restart, see docs/authentication.md).
 */
const membership = new Map<string, readonly string[]>();

/** Records the groups the provider gave for `actor` (replacing what an earlier sign-in said). */
export function rememberGroups(actor: string, groups: readonly string[]): void {
  membership.set(actor, [...new Set(groups)]);
}

/** Forgets the actor's groups (its last session ended). */
export function forgetGroups(actor: string): void {
  membership.delete(actor);
}

/** The groups the provider last said `actor` is in; empty for actors no provider vouched for. */
export function groupsOf(actor: string): readonly string[] {
  return membership.get(actor) ?? [];
}

/** The subject prefix that names a group in `access.bindings` (`group:platform-team`). */
export const GROUP_SUBJECT = 'group:';
