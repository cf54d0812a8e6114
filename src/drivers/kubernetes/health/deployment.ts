import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { conditions, describeCondition, findCondition } from './conditions.js';
import {
  degraded,
  healthy,
  num,
  ofTotal,
  progressing,
  spec,
  staleGeneration,
  status,
  suspended,
} from './read.js';

/**
 * A Deployment: Suspended while paused; Progressing until the controller has observed the latest
 * generation and every wanted replica is updated and available with no old replica left;
 * Degraded once the controller gives up (`Progressing` condition with reason
 * `ProgressDeadlineExceeded`) or reports `Available=False` after the rollout.
 */
export function deploymentHealth(obj: KubeObject): Health {
  if (spec(obj).paused === true) return suspended(obj, 'rollout is paused');
  const stale = staleGeneration(obj);
  if (stale !== undefined) return stale;

  const list = conditions(obj);
  const progress = findCondition(list, 'Progressing');
  if (progress?.reason === 'ProgressDeadlineExceeded') return degraded(obj, describeCondition(progress));

  const st = status(obj);
  const wanted = num(spec(obj).replicas) ?? 1;
  const updated = num(st.updatedReplicas) ?? 0;
  const total = num(st.replicas) ?? 0;
  const available = num(st.availableReplicas) ?? 0;
  if (updated < wanted) {
    return progressing(obj, `waiting for rollout: ${ofTotal(updated, wanted)} replicas updated`);
  }
  if (total > updated) {
    const old = total - updated;
    return progressing(
      obj,
      `waiting for rollout: ${old} old ${old === 1 ? 'replica' : 'replicas'} pending termination`,
    );
  }
  if (available < updated) {
    return progressing(obj, `waiting for rollout: ${ofTotal(available, updated)} updated replicas available`);
  }
  const availableCondition = findCondition(list, 'Available');
  if (availableCondition?.status === 'False') return degraded(obj, describeCondition(availableCondition));
  return healthy(obj);
}
