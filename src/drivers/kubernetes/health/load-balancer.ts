import type { KubeObject } from '../kube-object.js';
import { record, records, status, str } from './read.js';

/** Addresses in `status.loadBalancer.ingress` (Service and Ingress share the shape). */
export function loadBalancerAddresses(obj: KubeObject): string[] {
  return records(record(status(obj).loadBalancer).ingress).flatMap((entry) => {
    const address = str(entry.ip) ?? str(entry.hostname);
    return address === undefined ? [] : [address];
  });
}
