// Reconcile: pure planning of a sync (order by hook phase, wave, kind, name; prune rules) and the
// runner that carries a plan out against a driver (apply, wait for health, retry, prune).
export { compareForApply, compareForPrune, type KindOrder, type Orderable } from './order.js';
export { describePlan, type PlanInput, planSync } from './plan.js';
export type {
  ApplyStep,
  Plan,
  PlanPhase,
  PlanRefusal,
  PlanSkip,
  PlanStep,
  RemoveStep,
  SkipReason,
} from './plan-types.js';
export { runPlan } from './runner.js';
export type {
  BaseApplyContext,
  ContextFactory,
  RunFailure,
  RunInput,
  RunOutcome,
  RunReason,
  RunResult,
  RunStep,
} from './runner-types.js';
export { formatDuration } from './signals.js';
