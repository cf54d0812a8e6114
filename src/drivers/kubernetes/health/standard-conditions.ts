import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { type Condition, conditions, describeCondition, findCondition } from './conditions.js';
import { degraded, healthy, progressing, staleGeneration } from './read.js';

/**
 * Reasons a `Ready=False` carries while the controller is still working rather than failing
 * (kstatus and the common controller libraries use these).
 */
const IN_PROGRESS_REASONS = new Set(['Progressing', 'Reconciling', 'InProgress', 'Pending']);

/**
 * Any other object, custom resources included, by the standard conditions: `Ready` (or, without
 * it, `Available`). True is Healthy; Unknown is Progressing; False is Degraded unless the
 * controller says it is still at work (`Reconciling=True`, or an in-progress reason), which is
 * Progressing. `Stalled=True` (kstatus) is Degraded. A status, or a condition, that describes an
 * older generation than `metadata.generation` is Progressing. No conditions: Healthy once applied.
 */
export function standardConditionsHealth(obj: KubeObject): Health {
  const stale = staleGeneration(obj);
  if (stale !== undefined) return stale;
  const list = conditions(obj);
  const stalled = findCondition(list, 'Stalled');
  if (stalled?.status === 'True') return degraded(obj, describeCondition(stalled));
  const main = findCondition(list, 'Ready') ?? findCondition(list, 'Available');
  if (main === undefined) return healthy(obj);
  const generation = obj.metadata.generation;
  if (
    generation !== undefined &&
    main.observedGeneration !== undefined &&
    main.observedGeneration < generation
  ) {
    return progressing(obj, `waiting for condition ${main.type} to observe generation ${generation}`);
  }
  switch (main.status) {
    case 'True':
      return healthy(obj);
    case 'Unknown':
      return progressing(obj, describeCondition(main));
    case 'False':
      return stillWorking(main, list)
        ? progressing(obj, describeCondition(main))
        : degraded(obj, describeCondition(main));
  }
}

function stillWorking(main: Condition, list: readonly Condition[]): boolean {
  if (main.reason !== undefined && IN_PROGRESS_REASONS.has(main.reason)) return true;
  return findCondition(list, 'Reconciling')?.status === 'True';
}
