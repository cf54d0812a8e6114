import { type DesiredResource, WheelhouseError } from '../../core/index.js';
import type { Mapping } from './discovery.js';
import type { KubeObject } from './kube-object.js';
import { ANNOTATION, LABEL, MANAGED_BY, MANAGER } from './labels.js';

const isMapping = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The object to apply for a resource: its spec back in Kubernetes shape, in the namespace the
 * cluster's scope for the kind asks for, with the ownership labels and the key annotation, and a
 * Secret's `secretEnv` references resolved into `stringData` from Wheelhouse's environment.
 */
export function objectToApply(
  resource: DesiredResource,
  mapping: Mapping,
  target: string,
  env: Readonly<Record<string, string | undefined>>,
  extraAnnotations: Record<string, string> = {},
): KubeObject {
  const { metadata: rawMeta, secretEnv, ...body } = resource.spec;
  const meta = isMapping(rawMeta) ? { ...(rawMeta as Record<string, unknown>) } : {};
  const labels = isMapping(meta.labels) ? meta.labels : {};
  const annotations = isMapping(meta.annotations) ? meta.annotations : {};
  const object: KubeObject = {
    ...body,
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: {
      ...meta,
      name: resource.metadata.name,
      ...(mapping.namespaced ? { namespace: resource.namespace } : {}),
      labels: { ...labels, [MANAGED_BY]: MANAGER, [LABEL.app]: resource.app, [LABEL.target]: target },
      annotations: { ...annotations, [ANNOTATION.key]: resource.key, ...extraAnnotations },
    },
  };
  if (isMapping(secretEnv)) {
    const stringData: Record<string, string> = isMapping(object.stringData) ? { ...object.stringData } : {};
    for (const [key, ref] of Object.entries(secretEnv as Record<string, unknown>)) {
      const variable = isMapping(ref) ? ref.fromEnv : undefined;
      const value = typeof variable === 'string' ? env[variable] : undefined;
      if (value === undefined) {
        throw new WheelhouseError(
          'CONFIG_INVALID',
          `${resource.origin?.file ?? resource.key}: Secret ${resource.metadata.name} takes ${key} from the environment variable ${String(variable)}, which is not set for Wheelhouse; set it and sync again`,
          { details: { app: resource.app, resource: resource.key } },
        );
      }
      stringData[key] = value;
    }
    object.stringData = stringData;
  }
  return object;
}
