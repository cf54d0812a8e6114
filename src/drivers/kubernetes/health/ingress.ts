import type { Health } from '../../../core/index.js';
import { apiGroup, type KubeObject } from '../kube-object.js';
import { loadBalancerAddresses } from './load-balancer.js';
import { healthy, progressing, spec, str } from './read.js';

const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/**
 * An Ingress: Healthy once it has a load balancer address. Without one, it depends on whether a
 * controller is expected to publish one, which the Ingress alone cannot tell: the address comes
 * from whichever controller serves its class, and a cluster without an ingress controller (a test
 * control plane, a cluster whose traffic enters another way) never gets one. Argo CD reports such
 * an Ingress Progressing forever, which keeps a perfectly converged app from ever being Healthy
 * and makes every sync wait out its health timeout.
 *
 * So: Progressing "waiting for a load balancer address" only when the IngressClass that serves it
 * is known (passed in `related`: the class named by `spec.ingressClassName` or the legacy
 * annotation, or the class marked default when none is named): an installed class means an
 * installed controller that will publish the address. Otherwise Healthy, with a message saying
 * there is no address and why nobody is waiting for one.
 */
export function ingressHealth(obj: KubeObject, related: readonly KubeObject[] = []): Health {
  const addresses = loadBalancerAddresses(obj);
  if (addresses.length > 0) return healthy(obj);
  const className = str(spec(obj).ingressClassName) ?? obj.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  const ingressClass = findIngressClass(related, className);
  if (ingressClass !== undefined) {
    return progressing(
      obj,
      `waiting for a load balancer address from the controller of IngressClass ${ingressClass.metadata.name}`,
    );
  }
  const which =
    className === undefined ? 'no default IngressClass' : `IngressClass ${className} is not known`;
  return healthy(obj, `no load balancer address; ${which}, so no controller is expected to publish one`);
}

function findIngressClass(
  related: readonly KubeObject[],
  className: string | undefined,
): KubeObject | undefined {
  const classes = related.filter(
    (obj) => obj.kind === 'IngressClass' && apiGroup(obj.apiVersion) === 'networking.k8s.io',
  );
  if (className !== undefined) return classes.find((obj) => obj.metadata.name === className);
  return classes.find((obj) => obj.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
}
