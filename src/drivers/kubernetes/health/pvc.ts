import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { degraded, healthy, progressing, spec, status, str } from './read.js';

/**
 * A PersistentVolumeClaim: Healthy when Bound; Progressing while Pending (a provisioner is
 * creating the volume, or a `WaitForFirstConsumer` class waits for a Pod); Degraded when Lost
 * (its volume is gone).
 */
export function pvcHealth(obj: KubeObject): Health {
  const phase = str(status(obj).phase);
  switch (phase) {
    case 'Bound':
      return healthy(obj);
    case 'Lost':
      return degraded(obj, 'phase Lost: the bound PersistentVolume no longer exists');
    default: {
      const storageClass = str(spec(obj).storageClassName);
      const where = storageClass === undefined ? '' : ` (storage class ${storageClass})`;
      return progressing(obj, `phase ${phase ?? 'Pending'}: waiting for a volume to be bound${where}`);
    }
  }
}
