import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import {
  type Condition,
  conditions,
  describeCondition,
  findCondition,
  parseConditions,
} from './conditions.js';
import { degraded, healthy, suspended } from './read.js';

/** Where `autoscaling/v1` keeps the conditions `autoscaling/v2` has in `status.conditions`. */
const V1_CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';

/**
 * A HorizontalPodAutoscaler: Degraded when it cannot scale (`AbleToScale=False`, e.g. the target
 * does not exist) or cannot compute a recommendation (`ScalingActive=False`, e.g. no metrics);
 * Suspended when scaling is disabled because the target has zero replicas (`ScalingDisabled`);
 * Healthy otherwise, including before the controller's first pass (nothing is wrong yet).
 */
export function hpaHealth(obj: KubeObject): Health {
  const list = hpaConditions(obj);
  if (list.length === 0) return healthy(obj, 'no conditions reported yet');
  const able = findCondition(list, 'AbleToScale');
  if (able?.status === 'False') return degraded(obj, describeCondition(able));
  const active = findCondition(list, 'ScalingActive');
  if (active?.status === 'False') {
    if (active.reason === 'ScalingDisabled') return suspended(obj, describeCondition(active));
    return degraded(obj, describeCondition(active));
  }
  return healthy(obj);
}

function hpaConditions(obj: KubeObject): Condition[] {
  const fromStatus = conditions(obj);
  if (fromStatus.length > 0) return fromStatus;
  const annotation = obj.metadata.annotations?.[V1_CONDITIONS];
  if (annotation === undefined) return [];
  try {
    return parseConditions(JSON.parse(annotation));
  } catch {
    return [];
  }
}
