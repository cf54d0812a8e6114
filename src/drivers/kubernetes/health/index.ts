// Health of Kubernetes objects: one check per kind, picked by `group/kind`, and the standard
// Ready/Available conditions for every other kind (CRDs' custom resources included).
import type { Health } from '../../../core/index.js';
import { apiGroup, type KubeObject } from '../kube-object.js';
import { apiServiceHealth } from './apiservice.js';
import { crdHealth } from './crd.js';
import { daemonSetHealth } from './daemonset.js';
import { deploymentHealth } from './deployment.js';
import { hpaHealth } from './hpa.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { namespaceHealth } from './namespace.js';
import { podHealth } from './pod.js';
import { pvcHealth } from './pvc.js';
import { progressing } from './read.js';
import { explainFromRelated } from './related.js';
import { replicaSetHealth } from './replicaset.js';
import { serviceHealth } from './service.js';
import { standardConditionsHealth } from './standard-conditions.js';
import { statefulSetHealth } from './statefulset.js';

export { type Condition, conditions, describeCondition, findCondition } from './conditions.js';

type KindHealth = (obj: KubeObject, related: readonly KubeObject[]) => Health;

/** Keyed by `group/kind`; the core group is the empty string (`/Pod`). */
const BY_KIND: ReadonlyMap<string, KindHealth> = new Map<string, KindHealth>([
  ['apps/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['/Pod', podHealth],
  ['batch/Job', jobHealth],
  ['/Service', serviceHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['/PersistentVolumeClaim', pvcHealth],
  ['autoscaling/HorizontalPodAutoscaler', hpaHealth],
  ['apiextensions.k8s.io/CustomResourceDefinition', crdHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
  ['/Namespace', namespaceHealth],
]);

export function kindKey(obj: KubeObject): string {
  return `${apiGroup(obj.apiVersion)}/${obj.kind}`;
}

/**
 * The health of one live object. `related` carries what the driver knows around it: its children
 * (a Deployment's ReplicaSets and Pods), whose worst reason is added to a Progressing or Degraded
 * message, and for an Ingress the cluster's IngressClasses (see `ingress.ts`). Every message that
 * is not Healthy names the object and the condition or reason.
 */
export function objectHealth(obj: KubeObject, related: readonly KubeObject[] = []): Health {
  return explainFromRelated(ownHealth(obj, related), obj, related, (child) => ownHealth(child, []));
}

function ownHealth(obj: KubeObject, related: readonly KubeObject[]): Health {
  if (obj.metadata.deletionTimestamp !== undefined) return beingDeleted(obj);
  const check = BY_KIND.get(kindKey(obj)) ?? standardConditionsHealth;
  return check(obj, related);
}

function beingDeleted(obj: KubeObject): Health {
  const finalizers = obj.metadata.finalizers;
  const waiting =
    Array.isArray(finalizers) && finalizers.length > 0
      ? `; waiting for finalizers ${finalizers.filter((f) => typeof f === 'string').join(', ')}`
      : '';
  return progressing(obj, `being deleted${waiting}`);
}
