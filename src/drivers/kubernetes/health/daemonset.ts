import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { healthy, num, ofTotal, progressing, record, spec, staleGeneration, status } from './read.js';

/**
 * A DaemonSet: Progressing until the updated Pods are scheduled on every node that should run
 * one and are available there. With `OnDelete` the controller does not replace old Pods, so only
 * availability counts.
 */
export function daemonSetHealth(obj: KubeObject): Health {
  const stale = staleGeneration(obj);
  if (stale !== undefined) return stale;
  const st = status(obj);
  const desired = num(st.desiredNumberScheduled) ?? 0;
  const updated = num(st.updatedNumberScheduled) ?? 0;
  const available = num(st.numberAvailable) ?? 0;
  const onDelete = record(spec(obj).updateStrategy).type === 'OnDelete';
  if (!onDelete && updated < desired) {
    return progressing(obj, `waiting for rollout: ${ofTotal(updated, desired)} updated Pods scheduled`);
  }
  if (available < desired) {
    return progressing(obj, `waiting for rollout: ${ofTotal(available, desired)} Pods available`);
  }
  return healthy(obj);
}
