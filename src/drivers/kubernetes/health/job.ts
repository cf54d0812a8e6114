import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { conditions, describeCondition, findCondition } from './conditions.js';
import { degraded, healthy, num, progressing, spec, status, suspended } from './read.js';

/**
 * A Job, also when it runs as a PreSync/PostSync hook (the runner waits for this health: Healthy
 * lets the sync go on, Degraded fails it with the message). Degraded once it failed (`Failed`, or
 * `FailureTarget` which the controller sets as soon as the failure is decided, before the Pods
 * are cleaned up); Healthy when `Complete`; Suspended while `spec.suspend` is set; Progressing
 * otherwise.
 */
export function jobHealth(obj: KubeObject): Health {
  const list = conditions(obj);
  for (const type of ['Failed', 'FailureTarget']) {
    const failed = findCondition(list, type);
    if (failed?.status === 'True') return degraded(obj, describeCondition(failed));
  }
  if (findCondition(list, 'Complete')?.status === 'True') return healthy(obj, 'completed');
  if (spec(obj).suspend === true) return suspended(obj, 'suspended (spec.suspend is true)');
  const st = status(obj);
  const active = num(st.active) ?? 0;
  const succeeded = num(st.succeeded) ?? 0;
  const completions = num(spec(obj).completions);
  const done =
    completions === undefined ? `${succeeded} succeeded` : `${succeeded} of ${completions} succeeded`;
  return progressing(obj, `running: ${active} active, ${done}`);
}
