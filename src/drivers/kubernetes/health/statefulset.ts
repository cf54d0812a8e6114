import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { healthy, num, ofTotal, progressing, record, spec, staleGeneration, status, str } from './read.js';

/**
 * A StatefulSet: Progressing until every wanted replica is ready and, for `RollingUpdate`, the
 * rollout reached what it is allowed to: all Pods at `updateRevision`, or with a `partition` the
 * Pods at or above the partition ordinal (then Healthy, saying the rollout is partitioned). With
 * `OnDelete` the controller never replaces Pods itself, so ready replicas are Healthy and the
 * message says how many still run the old revision.
 */
export function statefulSetHealth(obj: KubeObject): Health {
  const stale = staleGeneration(obj);
  if (stale !== undefined) return stale;

  const st = status(obj);
  const wanted = num(spec(obj).replicas) ?? 1;
  const ready = num(st.readyReplicas) ?? 0;
  if (ready < wanted) return progressing(obj, `waiting for replicas: ${ofTotal(ready, wanted)} ready`);

  const strategy = record(spec(obj).updateStrategy);
  const updated = num(st.updatedReplicas) ?? 0;
  const current = str(st.currentRevision);
  const update = str(st.updateRevision);
  const behind = current !== undefined && update !== undefined && current !== update;

  if (strategy.type === 'OnDelete') {
    if (!behind) return healthy(obj);
    return healthy(
      obj,
      `update strategy OnDelete: ${ofTotal(updated, wanted)} Pods at revision ${update}; delete Pods to update the rest`,
    );
  }

  const partition = num(record(strategy.rollingUpdate).partition) ?? 0;
  if (partition > 0) {
    const expected = Math.max(0, wanted - partition);
    if (updated < expected) {
      return progressing(
        obj,
        `waiting for partitioned rollout: ${ofTotal(updated, expected)} Pods at or above ordinal ${partition} updated`,
      );
    }
    if (behind) {
      return healthy(
        obj,
        `partitioned rollout complete: ${updated} new Pods; Pods below ordinal ${partition} stay at revision ${current}`,
      );
    }
    return healthy(obj);
  }

  if (updated < wanted) {
    return progressing(obj, `waiting for rolling update: ${ofTotal(updated, wanted)} Pods updated`);
  }
  if (behind) return progressing(obj, `waiting for rolling update to finish: revision ${update}`);
  return healthy(obj);
}
