// Access: who may do what (policy, approvals, locks, identities), and the one actions service every surface calls.

export { type Actions, createActions, type Gated } from './actions.js';
export { ACTIONS, type ActionTraits, actionTraits } from './actions-catalog.js';
export type {
  ActionRequest,
  ActionResult,
  ActionsDeps,
  ApprovedRunReporter,
  DecisionResult,
  PreparedAction,
  Reporter,
} from './actions-types.js';
export { checkDecision, type DecisionCheck, distinctApprovers } from './approval-decision.js';
export { findApprovalRule, isExpired, newApproval } from './approval-rules.js';
export { appendAudit, auditCommand, type CommandAudit } from './audit.js';
export { type AccessConfig, type Authorization, type AuthorizeRequest, authorize } from './authorize.js';
export {
  ADMIN_USER,
  actorId,
  commitAuthor,
  displayName,
  type Identity,
  personKey,
  resolveIdentity,
  samePerson,
  splitActor,
  TOKEN_PLATFORMS,
} from './identity.js';
export { checkLock, describeLock, type LockCheck } from './locks.js';
export { createMutationGuard, type GuardedMutation } from './mutation-guard.js';
export type { Operation, OperationContext, OperationOutcome, OperationRegistry } from './operation.js';
export { createOperations, type OperationDeps } from './operations/index.js';
export { BUILTIN_ROLES, PERMISSION_MEANING, PERMISSIONS } from './permissions.js';
export {
  type AppScope,
  checkActor,
  checkPermission,
  holdersOf,
  type PolicyDecision,
  permissionsOf,
} from './policy.js';
export { type ActionRouteOptions, actionRoutes } from './routes.js';
