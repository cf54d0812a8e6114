import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { conditions, describeCondition, findCondition } from './conditions.js';
import { degraded, healthy, num, ofTotal, progressing, spec, staleGeneration, status } from './read.js';

/**
 * A ReplicaSet: Degraded when it cannot create Pods (`ReplicaFailure=True`, e.g. a quota or an
 * admission webhook refused them); Progressing until every wanted replica is available.
 */
export function replicaSetHealth(obj: KubeObject): Health {
  const stale = staleGeneration(obj);
  if (stale !== undefined) return stale;
  const failure = findCondition(conditions(obj), 'ReplicaFailure');
  if (failure?.status === 'True') return degraded(obj, describeCondition(failure));
  const wanted = num(spec(obj).replicas) ?? 1;
  const available = num(status(obj).availableReplicas) ?? 0;
  if (available < wanted) {
    return progressing(obj, `waiting for replicas: ${ofTotal(available, wanted)} available`);
  }
  return healthy(obj);
}
