import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { conditions, describeCondition, findCondition } from './conditions.js';
import { degraded, healthy, progressing } from './read.js';

/**
 * A CustomResourceDefinition: Degraded when its names conflict with another CRD
 * (`NamesAccepted=False`); Progressing until `Established=True` (the API server serves it, so
 * custom resources of it may be applied); Healthy then.
 */
export function crdHealth(obj: KubeObject): Health {
  const list = conditions(obj);
  const names = findCondition(list, 'NamesAccepted');
  if (names?.status === 'False') return degraded(obj, describeCondition(names));
  const established = findCondition(list, 'Established');
  if (established?.status === 'True') return healthy(obj);
  if (established === undefined) return progressing(obj, 'waiting for condition Established');
  return progressing(obj, `waiting to be established: ${describeCondition(established)}`);
}
