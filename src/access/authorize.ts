import type { AccessPolicy, ApprovalRule, Permission, Person } from '../core/index.js';
import { actionTraits } from './actions-catalog.js';
import { findApprovalRule } from './approval-rules.js';
import type { Identity } from './identity.js';
import { type AppScope, checkPermission } from './policy.js';
import { privilegedEnvOf } from './privileged-env.js';

/** The parts of wheelhouse.yaml that decide who may do what. */
export interface AccessConfig {
  access: AccessPolicy;
  people: readonly Person[];
  approvals: readonly ApprovalRule[];
}

export interface AuthorizeRequest {
  identity: Identity;
  /** Command name, e.g. `sync`, `scale`, `set` (see ACTIONS). */
  command: string;
  app?: AppScope;
  /** The CI job a `build` or `cancel` is about (`jenkins/deploy`): bindings' `jobs` scope it. */
  job?: string;
  /** `unlock --force` breaks someone else's lock, `sync --force` syncs inside a deny window: admin. */
  force?: boolean;
  /** The request's arguments: `set` with a loader or interpreter variable needs admin. */
  args?: Readonly<Record<string, unknown>>;
}

export type Authorization =
  | { kind: 'allowed'; permission: Permission; via: string }
  | { kind: 'refused'; permission: Permission; holders: string[]; reason: string }
  | { kind: 'needs-approval'; permission: Permission; rule: ApprovalRule };

/**
 * The one entry point every surface (chat, API, CLI, dashboard) uses to decide a request:
 * the access policy first (a refusal names the missing permission and who holds it), then the
 * approval rules for commands that can be gated.
 */
export function authorize(config: AccessConfig, request: AuthorizeRequest): Authorization {
  const traits = actionTraits(request.command);
  const privileged = privilegedEnvOf(request.command, request.args ?? {});
  // `--force` needs admin, whether it comes with the request or inside its arguments.
  const forced = request.force === true || request.args?.force === true;
  const permission: Permission = forced || privileged.length > 0 ? 'admin' : traits.permission;
  const decision = checkPermission(
    config.access,
    config.people,
    request.identity,
    permission,
    request.app,
    request.job,
  );
  if (!decision.allowed) {
    const why =
      privileged.length > 0
        ? `${privileged.join(', ')} ${privileged.length === 1 ? 'is a loader or interpreter variable' : 'are loader or interpreter variables'} ` +
          '(they make the workload run other code), so setting it through Wheelhouse needs admin: '
        : '';
    return { kind: 'refused', permission, holders: decision.holders, reason: why + decision.reason };
  }
  if (traits.approvable && request.app) {
    const rule = findApprovalRule(config.approvals, request.command, request.app);
    if (rule) return { kind: 'needs-approval', permission, rule };
  }
  return { kind: 'allowed', permission, via: decision.via };
}
