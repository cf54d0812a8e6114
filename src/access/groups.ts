/**
 * Group membership told by an identity provider at sign-in (OIDC's groups claim, GitHub's org
 * teams), by actor. The access policy is evaluated from actor ids everywhere (chat, API, approvals
 * decided later), so membership is kept beside them rather than threaded through every call: the
 * sign-in that last saw a person sets their groups, and a sign-in that ends forgets what it said.
 * Membership lives in this process only: after a restart a person's groups count again from their
 * next sign-in (their OIDC session ends with the restart, see docs/authentication.md).
 */
interface Vouched {
  groups: readonly string[];
  /** The verified email the provider gave, when the actor does not name it (GitHub: `github:<login>`). */
  email?: string;
}

/** By actor, what each live sign-in (a dashboard session, a CLI login) was told; newest last. */
const membership = new Map<string, Map<string, Vouched>>();

/**
 * Records the groups the provider gave `actor` at one sign-in (`holder`: the session or CLI login
 * that carries them). The newest sign-in's word is the one that counts.
 */
export function rememberGroups(
  actor: string,
  groups: readonly string[],
  holder: string,
  email?: string,
): void {
  let held = membership.get(actor);
  if (!held) {
    held = new Map();
    membership.set(actor, held);
  }
  held.delete(holder);
  held.set(holder, { groups: [...new Set(groups)], ...(email ? { email } : {}) });
}

/**
 * Forgets what one sign-in said (it ended). The actor keeps the groups of their other live
 * sign-ins: signing out of the dashboard does not strip a CLI login of its rights.
 */
export function forgetGroups(actor: string, holder: string): void {
  const held = membership.get(actor);
  held?.delete(holder);
  if (held?.size === 0) membership.delete(actor);
}

/** The groups the provider last said `actor` is in; empty for actors no live sign-in vouches for. */
export function groupsOf(actor: string): readonly string[] {
  return newest(actor)?.groups ?? [];
}

/** The verified email a live sign-in of `actor` came with (matched to `people` by email). */
export function verifiedEmailOf(actor: string): string | undefined {
  return newest(actor)?.email;
}

function newest(actor: string): Vouched | undefined {
  const held = membership.get(actor);
  return held ? [...held.values()].at(-1) : undefined;
}

/** The subject prefix that names a group in `access.bindings` (`group:platform-team`). */
export const GROUP_SUBJECT = 'group:';
