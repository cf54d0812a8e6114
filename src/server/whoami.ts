import { resolveIdentity, rightsOf } from '../access/index.js';
import type { ControlConfig } from '../core/index.js';

/** The caller as the policy in force sees them, for `GET /api/v1/session` (and `wheelhouse whoami`). */
export function describeActor(
  config: ControlConfig | undefined,
  actor: string,
): { person?: string; groups: readonly string[]; rights: string[] } {
  const identity = resolveIdentity(actor, config?.people ?? []);
  const rights = config
    ? rightsOf(config.access, identity)
    : identity.admin
      ? ['admin: every permission (the admin token)']
      : ['none yet: no valid wheelhouse.yaml is loaded'];
  return { ...(identity.person ? { person: identity.person.name } : {}), groups: identity.groups, rights };
}
