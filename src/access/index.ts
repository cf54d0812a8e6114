// Access: who may do what (policy, approvals, locks, identities), and the one actions service every surface calls.

export { type Actions, createActions, type Gated } from './actions.js';
export { ACTIONS, type ActionTraits, actionTraits } from './actions-catalog.js';
export type {
  ActionRequest,
  ActionResult,
  ActionsDeps,
  ApprovedRunReporter,
  DecisionResult,
  DescribeAction,
  PreparedAction,
  Reporter,
} from './actions-types.js';
export { checkDecision, type DecisionCheck, distinctApprovers } from './approval-decision.js';
export { findApprovalRule, isExpired, newApproval } from './approval-rules.js';
export { appendAudit, auditCommand, type CommandAudit } from './audit.js';
export { type AccessConfig, type Authorization, type AuthorizeRequest, authorize } from './authorize.js';
export * from './delivery/index.js';
export { forgetGroups, GROUP_SUBJECT, groupsOf, rememberGroups } from './groups.js';
export {
  ADMIN_USER,
  actorId,
  commitAuthor,
  displayName,
  type Identity,
  personKey,
  resolveIdentity,
  SSO_PLATFORM,
  samePerson,
  splitActor,
  TOKEN_PLATFORMS,
} from './identity.js';
export { checkLock, describeLock, type LockCheck } from './locks.js';
export { createMutationGuard, type GuardedMutation } from './mutation-guard.js';
export type { Operation, OperationContext, OperationOutcome, OperationRegistry } from './operation.js';
export { type CiOperationDeps, createCiOperations } from './operations/ci-build.js';
export { currentImage } from './operations/image-current.js';
export { commitsSince, createOperations, IMAGE_BOT, type OperationDeps, repoOf } from './operations/index.js';
export { BUILTIN_ROLES, grants, PERMISSION_MEANING, PERMISSIONS, rolePermissions } from './permissions.js';
export {
  type AppScope,
  checkActor,
  checkPermission,
  holdersOf,
  type PolicyDecision,
  permissionsOf,
} from './policy.js';
export { rightsOf } from './rights.js';
export { type ActionRouteOptions, actionRoutes } from './routes.js';
export { createSecretRedaction, type SecretRedaction } from './secrets.js';
export { type SettleDeps, settleInterrupted } from './settle-interrupted.js';
