import type { AccessPolicy } from '../core/index.js';
import type { Identity } from './identity.js';
import { bindingCovers } from './policy.js';

/**
 * Where an identity's rights come from, one line each, for `whoami`: the admin token, the default
 * role, and every binding that names them (with the subject that matched: their id, name, or a
 * group the provider put them in).
 */
export function rightsOf(policy: AccessPolicy, identity: Identity): string[] {
  const out: string[] = [];
  if (identity.admin) out.push('admin: every permission (the admin token)');
  out.push(`${policy.defaultRole}: everyone's default role (access.defaultRole)`);
  for (const binding of policy.bindings) {
    if (!bindingCovers(binding, identity)) continue;
    const subject = binding.subjects.find((s) => bindingCovers({ ...binding, subjects: [s] }, identity));
    const apps = binding.apps.length > 0 ? binding.apps.join(', ') : '*';
    const environments = binding.environments.length > 0 ? binding.environments.join(', ') : '*';
    out.push(`${binding.role}: apps ${apps}, environments ${environments} (access.bindings, as ${subject})`);
  }
  return out;
}
