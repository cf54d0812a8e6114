import {
  type DesiredResource,
  type LiveResource,
  type ResourceChange,
  WheelhouseError,
} from '../core/index.js';
import { compareForApply, compareForPrune, type KindOrder } from './order.js';
import type { ApplyStep, Plan, PlanSkip, RemoveStep } from './plan-types.js';

export interface PlanInput {
  desired: readonly DesiredResource[];
  /** What the driver observed: only resources it owns for the app (the only ones pruned). */
  live: readonly LiveResource[];
  /** `diffResources(desired, live, { digest })`. */
  changes: readonly ResourceChange[];
  /** Remove live resources Git no longer declares. */
  prune: boolean;
  /** Allow a prune when the render produced no resources at all. */
  allowEmpty: boolean;
  /** Order among kinds within a wave (`KindDefinition.order`); lower first. */
  kindOrder: KindOrder;
}

/**
 * Orders a change set into steps: PreSync hooks → creates/updates by wave, kind order and name →
 * PostSync hooks → prune (reverse order). Unchanged resources are skipped. Pure. Prunes only
 * what the live list holds, never when prune is off, and never everything because a render came
 * back empty unless `allowEmpty` (the plan then carries the refusal).
 */
export function planSync(input: PlanInput): Plan {
  const desiredByKey = new Map(input.desired.map((resource) => [resource.key, resource]));
  const liveByKey = new Map(input.live.map((resource) => [resource.key, resource]));
  const applies: ApplyStep[] = [];
  const removals: RemoveStep[] = [];
  const skipped: PlanSkip[] = [];

  for (const change of input.changes) {
    const base = { key: change.key, kind: change.kind, name: change.name };
    if (change.action === 'unchanged') {
      skipped.push({ ...base, reason: 'unchanged', message: `${label(change)} is unchanged` });
    } else if (change.action === 'deleted') {
      const live = liveByKey.get(change.key);
      if (!live) {
        skipped.push({
          ...base,
          reason: 'not-owned',
          message: `${label(change)} is not reported as owned by the app on its target, so it is not pruned`,
        });
      } else if (!input.prune) {
        skipped.push({
          ...base,
          reason: 'prune-disabled',
          message: `${label(change)} is no longer in Git; not removed because prune is off for this app`,
        });
      } else {
        removals.push({ ...base, action: 'remove', phase: 'Prune', wave: 0, change, resource: live });
      }
    } else {
      const resource = desiredByKey.get(change.key);
      if (!resource) {
        throw new WheelhouseError(
          'INTERNAL',
          `the change set names ${change.key} as ${change.action} but it is not among the desired resources; plan from the same desired list the diff used`,
          { details: { resource: change.key } },
        );
      }
      const phase = resource.hook ?? 'Sync';
      applies.push({ ...base, action: 'apply', phase, wave: resource.wave, change, resource });
    }
  }

  const byApply = compareForApply(input.kindOrder);
  const inPhase = (phase: ApplyStep['phase']) => applies.filter((step) => step.phase === phase).sort(byApply);
  const plan: Plan = {
    steps: [...inPhase('PreSync'), ...inPhase('Sync'), ...inPhase('PostSync')],
    skipped,
    desired: [...input.desired],
    changes: [...input.changes],
  };

  if (removals.length > 0 && input.desired.length === 0 && !input.allowEmpty) {
    const keys = removals.map((step) => step.key);
    plan.refused = {
      code: 'EMPTY_RENDER',
      message: `the manifests rendered no resources, so nothing was pruned (${keys.length} live resource${keys.length === 1 ? '' : 's'} kept); if the app should really be empty, set sync.allowEmpty: true for it`,
      keys,
    };
    for (const step of removals) {
      skipped.push({
        key: step.key,
        kind: step.kind,
        name: step.name,
        reason: 'empty-render',
        message: `${label(step)} kept: the render produced no resources and allowEmpty is off`,
      });
    }
    return plan;
  }
  plan.steps.push(...removals.sort(compareForPrune(input.kindOrder)));
  return plan;
}

function label(change: { kind: string; name: string }): string {
  return `${change.kind} ${change.name}`;
}

/** One line for progress and logs: "2 PreSync hooks, 3 to apply in 2 waves, 1 to prune, 4 unchanged". */
export function describePlan(plan: Plan): string {
  const count = (phase: string) => plan.steps.filter((step) => step.phase === phase).length;
  const waves = new Set(plan.steps.filter((step) => step.phase === 'Sync').map((step) => step.wave)).size;
  const parts: string[] = [];
  if (count('PreSync') > 0)
    parts.push(`${count('PreSync')} PreSync hook${count('PreSync') === 1 ? '' : 's'}`);
  if (count('Sync') > 0) parts.push(`${count('Sync')} to apply${waves > 1 ? ` in ${waves} waves` : ''}`);
  if (count('PostSync') > 0)
    parts.push(`${count('PostSync')} PostSync hook${count('PostSync') === 1 ? '' : 's'}`);
  if (count('Prune') > 0) parts.push(`${count('Prune')} to prune`);
  const unchanged = plan.skipped.filter((skip) => skip.reason === 'unchanged').length;
  if (unchanged > 0) parts.push(`${unchanged} unchanged`);
  return parts.length > 0 ? parts.join(', ') : 'nothing to do';
}
