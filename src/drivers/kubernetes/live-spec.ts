import type { KubeObject } from './kube-object.js';
import { FIELD_MANAGER, OWN_ANNOTATIONS, OWN_LABELS } from './labels.js';
import { appliedFields, type FieldSet, mergeFields, project } from './managed-fields.js';
import { normalizeLive, secretDataRedacted } from './normalize.js';

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What Wheelhouse applied to an object, as it is live now: the object projected on the fields
 * the `wheelhouse` field manager owns (plus those it owned at its last apply, so a field another
 * manager took over shows its new value), without the driver's own labels and annotations, in the
 * resource spec's shape (the object without apiVersion, kind, name and namespace).
 */
export function appliedView(obj: KubeObject, remembered?: FieldSet): Record<string, unknown> {
  const owned = appliedFields(obj, FIELD_MANAGER);
  const fields = owned && remembered ? mergeFields(owned, remembered) : (owned ?? remembered ?? {});
  const { apiVersion: _v, kind: _k, ...body } = normalizeLive(obj);
  const view = project(body, fields);
  const out = isMapping(view) ? { ...view } : {};
  if (isMapping(out.metadata)) {
    const { name: _n, namespace: _ns, ...meta } = out.metadata;
    for (const [field, own] of [
      ['labels', OWN_LABELS],
      ['annotations', OWN_ANNOTATIONS],
    ] as const) {
      const map = meta[field];
      if (isMapping(map))
        meta[field] = Object.fromEntries(Object.entries(map).filter(([k]) => !own.includes(k)));
    }
    out.metadata = meta;
  }
  return out;
}

/** A Secret's view with its values replaced by markers, for anything shown (compare unredacted views). */
export function redactedView(obj: KubeObject, view: Record<string, unknown>): Record<string, unknown> {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') return view;
  const {
    apiVersion: _v,
    kind: _k,
    metadata: _m,
    ...rest
  } = secretDataRedacted({
    ...view,
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name: obj.metadata.name },
  });
  return { ...rest, ...(view.metadata === undefined ? {} : { metadata: view.metadata }) };
}

/** JSON with sorted keys and empty maps dropped: equal views give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortDeep(value)) ?? 'null';
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isMapping(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = sortDeep(value[key]);
    if (child === undefined || child === null) continue;
    if (isMapping(child) && Object.keys(child).length === 0) continue;
    out[key] = child;
  }
  return out;
}
