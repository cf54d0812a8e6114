import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { healthy, progressing, status } from './read.js';

/** A Namespace: Progressing while Terminating (its contents are being deleted), else Healthy. */
export function namespaceHealth(obj: KubeObject): Health {
  if (status(obj).phase === 'Terminating')
    return progressing(obj, 'phase Terminating: deleting its contents');
  return healthy(obj);
}
