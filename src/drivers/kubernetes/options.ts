import { z } from 'zod';
import { WheelhouseError } from '../../core/index.js';
import { formatFieldPath } from '../../util/index.js';

const optionsSchema = z.strictObject({
  /** Path of a kubeconfig file; without it, the in-cluster service account is used. */
  kubeconfig: z.string().min(1).optional(),
  /** Context in the kubeconfig; default its current-context. */
  context: z.string().min(1).optional(),
  /** Namespace for namespaced objects that name none; default the context's, else `default`. */
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a namespace name, e.g. shop' })
    .optional(),
  /** Namespace holding the inventory ConfigMaps (one per app); default `wheelhouse-system`. */
  inventoryNamespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a namespace name' })
    .default('wheelhouse-system'),
  /** Upper bound for waiting on a CRD to become Established or a hook Job to finish. */
  waitSeconds: z.number().positive().default(120),
});

export type KubeOptions = z.output<typeof optionsSchema>;

export const DEFAULT_NAMESPACE = 'default';

/** Validate a kubernetes target's options; throws a message listing every problem. */
export function parseKubeOptions(target: string, raw: Record<string, unknown>): KubeOptions {
  const parsed = optionsSchema.safeParse(raw);
  if (parsed.success) {
    if (parsed.data.context !== undefined && parsed.data.kubeconfig === undefined) {
      throw optionsError(target, [
        `${formatFieldPath(['targets', target, 'context'])}: a context needs a kubeconfig; add kubeconfig: PATH`,
      ]);
    }
    return parsed.data;
  }
  throw optionsError(
    target,
    parsed.error.issues.map((i) => `${formatFieldPath(['targets', target, ...i.path])}: ${i.message}`),
  );
}

/** The namespace a target puts namespaced objects in when a manifest names none (pure: for render). */
export function targetNamespace(raw: Record<string, unknown>): string {
  return typeof raw.namespace === 'string' && raw.namespace !== '' ? raw.namespace : DEFAULT_NAMESPACE;
}

function optionsError(target: string, problems: string[]): WheelhouseError {
  return new WheelhouseError(
    'CONFIG_INVALID',
    `kubernetes target "${target}" in wheelhouse.yaml is invalid; fix these fields:\n  ${problems.join('\n  ')}`,
    { details: { path: `targets.${target}` } },
  );
}
