import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { loadBalancerAddresses } from './load-balancer.js';
import { healthy, progressing, spec } from './read.js';

/**
 * A Service: Healthy once applied, except `type: LoadBalancer`, which is Progressing until the
 * cloud (or MetalLB and the like) publishes an address.
 */
export function serviceHealth(obj: KubeObject): Health {
  if (spec(obj).type !== 'LoadBalancer') return healthy(obj);
  if (loadBalancerAddresses(obj).length > 0) return healthy(obj);
  return progressing(obj, 'waiting for a load balancer address');
}
