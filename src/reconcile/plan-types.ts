import type { DesiredResource, LiveResource, ResourceChange } from '../core/index.js';

/** Where a step runs: hooks before and after, the resources in between, prune last. */
export type PlanPhase = 'PreSync' | 'Sync' | 'PostSync' | 'Prune';

interface StepBase {
  key: string;
  kind: string;
  name: string;
  /** The resource's wave (0 for live resources, whose annotations are not observed). */
  wave: number;
  /** The change this step carries out. */
  change: ResourceChange;
}

/** Create or update one resource (or run a hook). */
export interface ApplyStep extends StepBase {
  action: 'apply';
  phase: 'PreSync' | 'Sync' | 'PostSync';
  resource: DesiredResource;
}

/** Remove one resource the driver reports as owned by the app. */
export interface RemoveStep extends StepBase {
  action: 'remove';
  phase: 'Prune';
  resource: LiveResource;
}

export type PlanStep = ApplyStep | RemoveStep;

export type SkipReason = 'unchanged' | 'prune-disabled' | 'not-owned' | 'empty-render';

/** A change the plan does not carry out, and why. */
export interface PlanSkip {
  key: string;
  kind: string;
  name: string;
  reason: SkipReason;
  message: string;
}

/** The plan refused to remove everything because the render produced nothing. */
export interface PlanRefusal {
  code: 'EMPTY_RENDER';
  message: string;
  /** The resources it would have pruned. */
  keys: string[];
}

export interface Plan {
  /** In execution order: PreSync hooks, Sync by wave/kind/name, PostSync hooks, Prune reversed. */
  steps: PlanStep[];
  skipped: PlanSkip[];
  /** Set when the plan refused to prune (as data: the runner fails the sync with this message). */
  refused?: PlanRefusal;
  /** Every desired resource (the runner reports their final health). */
  desired: DesiredResource[];
  /** The full change set the plan was made from. */
  changes: ResourceChange[];
}
