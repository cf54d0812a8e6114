import { parseJsonPointer, removeAtPointer } from './json-pointer.js';
import { apiGroup, type KubeObject } from './kube-object.js';

export { parseJsonPointer } from './json-pointer.js';
export { secretDataRedacted } from './secret-data.js';

/** Metadata the API server sets; it never differs because of Git. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionGracePeriodSeconds',
] as const;

/** Annotations tools write on live objects (kubectl apply, the Deployment controller). */
const TOOL_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
] as const;

/**
 * A copy of a live object (or of a server-side dry-run result) reduced to what Git can declare:
 * no `status`, no server-set metadata, no annotations that tools add, no empty label or
 * annotation maps. The input is not changed.
 */
export function normalizeLive(obj: KubeObject): KubeObject {
  const out = structuredClone(obj);
  delete out.status;
  const meta = out.metadata;
  for (const field of SERVER_METADATA) delete meta[field];
  if (meta.annotations !== undefined) {
    for (const key of TOOL_ANNOTATIONS) delete meta.annotations[key];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
  if (meta.labels !== undefined && Object.keys(meta.labels).length === 0) delete meta.labels;
  return out;
}

/**
 * Fields an app tells Wheelhouse to leave to other controllers (e.g. `/spec/replicas` under an
 * HPA). A rule applies to the objects matching every selector it has (`group` is `''` for the
 * core group); the pointers are RFC 6901 JSON Pointers.
 */
export interface IgnoreRule {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
}

/**
 * A copy of `obj` without the fields the matching rules ignore. Applied to desired and live alike
 * before diffing, so those fields never show as a difference. A pointer to a field that is not
 * there changes nothing; an invalid pointer throws a CONFIG_INVALID error naming it.
 */
export function applyIgnoreDifferences(obj: KubeObject, rules: readonly IgnoreRule[]): KubeObject {
  const out = structuredClone(obj);
  for (const rule of rules) {
    if (!matches(rule, obj)) continue;
    for (const pointer of rule.jsonPointers) removeAtPointer(out, parseJsonPointer(pointer));
  }
  return out;
}

function matches(rule: IgnoreRule, obj: KubeObject): boolean {
  return (
    (rule.group === undefined || rule.group === apiGroup(obj.apiVersion)) &&
    (rule.kind === undefined || rule.kind === obj.kind) &&
    (rule.name === undefined || rule.name === obj.metadata.name) &&
    (rule.namespace === undefined || rule.namespace === (obj.metadata.namespace ?? ''))
  );
}
