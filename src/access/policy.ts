import type { AccessBinding, AccessPolicy, Permission, Person } from '../core/index.js';
import { matchesAny } from '../util/glob.js';
import { GROUP_SUBJECT } from './groups.js';
import { displayName, type Identity, resolveIdentity } from './identity.js';
import { grants, PERMISSION_MEANING, rolePermissions } from './permissions.js';

/** The app a request is about (absent for commands that are about no app, like `locks`). */
export interface AppScope {
  name: string;
  environment: string;
}

export type PolicyDecision =
  | { allowed: true; permission: Permission; via: string }
  | {
      allowed: false;
      permission: Permission;
      /** People (or subjects) who hold the permission for this app, for "ask one of them". */
      holders: string[];
      reason: string;
    };

/** Does this binding's subject list name this identity (any of its ids, its name or its email)? */
export function bindingCovers(binding: AccessBinding, identity: Identity): boolean {
  return binding.subjects.some((subject) => subjectMatches(subject, identity));
}

function subjectMatches(subject: string, identity: Identity): boolean {
  if (subject.startsWith(GROUP_SUBJECT)) {
    const group = subject.slice(GROUP_SUBJECT.length);
    return identity.groups.some((g) => matchesAny([group], g));
  }
  if (identity.person && (subject === identity.person.name || subject === identity.person.email)) return true;
  return matchesAny([subject], identity.actor) || identity.ids.some((id) => matchesAny([subject], id));
}

/**
 * Does a binding apply to the app (or the CI job)? A request about no app is covered by any
 * binding; one about a CI job (`jenkins/deploy`) by bindings whose `jobs` match it or that name none.
 */
export function bindingScopes(binding: AccessBinding, app: AppScope | undefined, job?: string): boolean {
  if (job !== undefined && binding.jobs && !matchesAny(binding.jobs, job)) return false;
  if (!app) return true;
  const apps = binding.apps.length === 0 ? ['*'] : binding.apps;
  const environments = binding.environments.length === 0 ? ['*'] : binding.environments;
  return matchesAny(apps, app.name) && matchesAny(environments, app.environment);
}

/** Everything the identity may do on the app: the default role plus every binding that covers it. */
export function permissionsOf(policy: AccessPolicy, identity: Identity, app?: AppScope): Set<Permission> {
  const out = new Set<Permission>();
  if (identity.admin) out.add('admin');
  for (const permission of rolePermissions(policy.roles, policy.defaultRole) ?? []) out.add(permission);
  for (const binding of policy.bindings) {
    if (!bindingCovers(binding, identity) || !bindingScopes(binding, app)) continue;
    for (const permission of rolePermissions(policy.roles, binding.role) ?? []) out.add(permission);
  }
  return out;
}

/** May `identity` use `permission` on `app`? A refusal names the permission and who holds it. */
export function checkPermission(
  policy: AccessPolicy,
  people: readonly Person[],
  identity: Identity,
  permission: Permission,
  app?: AppScope,
  job?: string,
): PolicyDecision {
  if (identity.admin) return { allowed: true, permission, via: 'the admin token' };
  const defaults = rolePermissions(policy.roles, policy.defaultRole) ?? [];
  if (grants(defaults, permission))
    return { allowed: true, permission, via: `defaultRole ${policy.defaultRole}` };
  for (const binding of policy.bindings) {
    if (!bindingCovers(binding, identity) || !bindingScopes(binding, app, job)) continue;
    if (grants(rolePermissions(policy.roles, binding.role) ?? [], permission)) {
      return { allowed: true, permission, via: `role ${binding.role}` };
    }
  }
  const holders = holdersOf(policy, people, permission, app, job);
  const where = app
    ? ` on app ${app.name} (environment ${app.environment})`
    : job
      ? ` for CI job ${job}`
      : '';
  const who = holders.length > 0 ? `held by ${holders.join(', ')}` : 'held by nobody but admin';
  return {
    allowed: false,
    permission,
    holders,
    reason:
      `${displayName(identity)} lacks the ${permission} permission${where} (${PERMISSION_MEANING[permission]}); ` +
      `it is ${who}. Ask one of them, or add a binding for you under access.bindings in wheelhouse.yaml`,
  };
}

/**
 * Who holds a permission on an app: the subjects of every binding that grants it, shown as the
 * mapped person's name where there is one, plus `admin`.
 */
export function holdersOf(
  policy: AccessPolicy,
  people: readonly Person[],
  permission: Permission,
  app?: AppScope,
  job?: string,
): string[] {
  const out = new Set<string>();
  for (const binding of policy.bindings) {
    if (!bindingScopes(binding, app, job)) continue;
    if (!grants(rolePermissions(policy.roles, binding.role) ?? [], permission)) continue;
    for (const subject of binding.subjects) {
      const person = people.find((p) => p.ids.includes(subject) || p.name === subject || p.email === subject);
      out.add(person ? person.name : subject);
    }
  }
  out.add('admin');
  return [...out];
}

/** Helper for surfaces that hold an actor string rather than an Identity. */
export function checkActor(
  policy: AccessPolicy,
  people: readonly Person[],
  actor: string,
  permission: Permission,
  app?: AppScope,
): PolicyDecision {
  return checkPermission(policy, people, resolveIdentity(actor, people), permission, app);
}
