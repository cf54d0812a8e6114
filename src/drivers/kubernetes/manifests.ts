import {
  errorMessage,
  type ForeignManifests,
  type ForeignObject,
  type ForeignReadInput,
  type ForeignResource,
  type HookPhase,
  type ParseResult,
  type SpecIssue,
} from '../../core/index.js';
import { apiGroup, type KubeObject } from './kube-object.js';
import { ANNOTATION } from './labels.js';
import { applyIgnoreDifferences } from './normalize.js';
import { targetNamespace } from './options.js';

/**
 * Kinds that live outside namespaces. Render cannot ask the cluster, so the common ones are listed
 * here, and a custom resource is cluster-scoped when its CRD in the same app says `scope: Cluster`
 * (see `crdScopes`). A custom resource whose CRD comes from elsewhere is taken as namespaced in its
 * key; the driver asks discovery at apply time and ignores a namespace on a cluster-scoped object.
 */
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'node.k8s.io/RuntimeClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'apiregistration.k8s.io/APIService',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

/** Apply order within a wave: what others need first (namespaces, CRDs, then config, then workloads). */
const ORDER: Readonly<Record<string, number>> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  PriorityClass: 2,
  StorageClass: 2,
  IngressClass: 2,
  ServiceAccount: 3,
  ClusterRole: 3,
  Role: 3,
  ClusterRoleBinding: 4,
  RoleBinding: 4,
  ConfigMap: 5,
  Secret: 5,
  PersistentVolume: 5,
  PersistentVolumeClaim: 6,
  Service: 7,
  Deployment: 8,
  StatefulSet: 8,
  DaemonSet: 8,
  ReplicaSet: 8,
  Pod: 8,
  Job: 8,
  CronJob: 8,
  HorizontalPodAutoscaler: 9,
  Ingress: 9,
};
/** Custom resources go after every built-in kind (their CRDs come first). */
const CUSTOM_ORDER = 20;

export function isClusterScoped(
  apiVersion: string,
  kind: string,
  siblings: readonly ForeignObject[] = [],
): boolean {
  const groupKind = `${apiGroup(apiVersion)}/${kind}`;
  return CLUSTER_SCOPED.has(groupKind) || crdScopes(siblings).get(groupKind) === 'Cluster';
}

const scopesOf = new WeakMap<readonly ForeignObject[], ReadonlyMap<string, string>>();

/** `group/Kind` -> `Namespaced` | `Cluster`, for every CustomResourceDefinition among an app's documents. */
function crdScopes(documents: readonly ForeignObject[]): ReadonlyMap<string, string> {
  let scopes = scopesOf.get(documents);
  if (scopes) return scopes;
  const found = new Map<string, string>();
  for (const doc of documents) {
    if (doc.kind !== 'CustomResourceDefinition' || apiGroup(doc.apiVersion) !== 'apiextensions.k8s.io')
      continue;
    const spec = isMapping(doc.spec) ? doc.spec : {};
    const names = isMapping(spec.names) ? spec.names : {};
    if (typeof spec.group === 'string' && typeof names.kind === 'string' && typeof spec.scope === 'string') {
      found.set(`${spec.group}/${names.kind}`, spec.scope);
    }
  }
  scopes = found;
  scopesOf.set(documents, scopes);
  return scopes;
}

/** `Deployment.apps`, `Widget.example.com`; core kinds stay bare (`Service`). */
export function keyKind(apiVersion: string, kind: string): string {
  const group = apiGroup(apiVersion);
  return group ? `${kind}.${group}` : kind;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Kubernetes manifests for kubernetes targets: any apiVersion and kind the cluster serves. */
export const kubernetesManifests: ForeignManifests = {
  description: 'Kubernetes objects of any apiVersion and kind the cluster serves, CRDs included',
  order: (kind) => ORDER[kind] ?? CUSTOM_ORDER,
  read: readManifest,
};

export function readManifest(input: ForeignReadInput): ParseResult<ForeignResource> {
  const { object, app } = input;
  const issues: SpecIssue[] = [];
  const { apiVersion, kind, metadata, ...body } = object;
  if ('status' in body)
    issues.push({ path: ['status'], message: 'status is observed, not declared; remove it' });
  const clusterScoped = isClusterScoped(apiVersion, kind, input.siblings);
  const written = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  if (clusterScoped && written !== undefined) {
    issues.push({
      path: ['metadata', 'namespace'],
      message: `${kind} is cluster-scoped: remove metadata.namespace`,
    });
  }
  const hook = readHook(metadata, issues);
  readSecretEnv(kind, apiVersion, body.secretEnv, issues);
  if (issues.length > 0) return { ok: false, issues };

  const namespace = clusterScoped ? '' : (written ?? targetNamespace(input.targetOptions));
  const whole = {
    ...body,
    apiVersion,
    kind,
    metadata: { ...metadata, name: String(metadata.name), ...(namespace ? { namespace } : {}) },
  };
  let kept: KubeObject;
  try {
    kept = applyIgnoreDifferences(whole, app.ignoreDifferences ?? []);
  } catch (err) {
    return {
      ok: false,
      issues: [{ path: [], message: `ignoreDifferences of app ${app.name}: ${errorMessage(err)}` }],
    };
  }
  const { apiVersion: _v, kind: _k, metadata: keptMeta, ...keptBody } = kept;
  const { name: _name, namespace: _ns, ...meta } = keptMeta;
  const out: ForeignResource = {
    keyKind: keyKind(apiVersion, kind),
    namespace,
    spec: { ...keptBody, metadata: meta },
  };
  if (hook) out.hook = hook;
  return { ok: true, value: out };
}

function readHook(metadata: Record<string, unknown>, issues: SpecIssue[]): HookPhase | undefined {
  const annotations = isMapping(metadata.annotations) ? metadata.annotations : {};
  const value = annotations[ANNOTATION.hook];
  if (value === undefined) return undefined;
  if (value === 'PreSync' || value === 'PostSync') return value;
  issues.push({
    path: ['metadata', 'annotations', ANNOTATION.hook],
    message: 'must be PreSync or PostSync (a Job that runs once per change, before or after the others)',
  });
  return undefined;
}

/**
 * `secretEnv: { KEY: { fromEnv: VAR } }` beside a Secret's data: the value of VAR in Wheelhouse's
 * environment becomes `stringData.KEY` at apply time, so the value never sits in Git.
 */
function readSecretEnv(kind: string, apiVersion: string, value: unknown, issues: SpecIssue[]): void {
  if (value === undefined) return;
  if (kind !== 'Secret' || apiVersion !== 'v1') {
    issues.push({ path: ['secretEnv'], message: 'secretEnv is for v1 Secrets only; remove it' });
    return;
  }
  if (!isMapping(value)) {
    issues.push({ path: ['secretEnv'], message: 'must map keys to { fromEnv: VARIABLE }' });
    return;
  }
  for (const [key, ref] of Object.entries(value)) {
    if (!isMapping(ref) || typeof ref.fromEnv !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(ref.fromEnv)) {
      issues.push({
        path: ['secretEnv', key],
        message: 'must be { fromEnv: VARIABLE }: the environment variable holding the value',
      });
    }
  }
}
