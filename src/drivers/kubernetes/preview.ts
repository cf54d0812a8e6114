import type { DesiredResource, LiveResource, Preview } from '../../core/index.js';
import { KubeApiError } from './client.js';
import { objectPath } from './discovery.js';
import type { KubeObject } from './kube-object.js';
import { FIELD_MANAGER } from './labels.js';
import { appliedView, redactedView } from './live-spec.js';
import { appliedFields, mergeFields } from './managed-fields.js';
import { objectToApply } from './object-body.js';
import { liveObject, observeApp } from './observe.js';
import type { Runtime } from './runtime.js';

/**
 * `diff` as the API server would apply it: a server-side dry run of each resource (defaults,
 * admission webhooks, canonical values), and the live object projected on the same fields, so
 * both sides differ exactly where an apply would change something. Hooks, kinds the cluster does
 * not serve yet and objects it refuses keep their rendered form; refusals by admission or validation
 * are listed in `refused` with the API server's message.
 */
export async function previewApp(
  rt: Runtime,
  app: string,
  resources: readonly DesiredResource[],
): Promise<Preview> {
  const live = observeApp(rt, app);
  const liveByKey = new Map(live.map((l) => [l.key, l]));
  const desired: DesiredResource[] = [];
  const refused: { key: string; message: string }[] = [];
  for (const resource of resources) {
    const previewed = resource.hook
      ? undefined
      : await dryRun(rt, resource).catch((err: unknown) => {
          if (isRefusal(err)) refused.push({ key: resource.key, message: err.message });
          return undefined;
        });
    if (!previewed) {
      desired.push(resource);
      continue;
    }
    desired.push({ ...resource, spec: previewed.desired });
    const current = liveByKey.get(resource.key);
    if (current && previewed.live) liveByKey.set(resource.key, { ...current, spec: previewed.live });
  }
  return { desired, live: [...liveByKey.values()] as LiveResource[], ...(refused.length ? { refused } : {}) };
}

/**
 * The API server said no to the object itself: an admission policy or webhook (403 Forbidden
 * naming admission), or validation (422 Invalid). Missing kinds, RBAC and outages are not refusals.
 */
function isRefusal(err: unknown): err is KubeApiError {
  if (!(err instanceof KubeApiError)) return false;
  return (
    err.status === 422 ||
    (err.status === 403 && /admission|denied request|ValidatingAdmissionPolicy/i.test(err.message))
  );
}

async function dryRun(
  rt: Runtime,
  resource: DesiredResource,
): Promise<{ desired: Record<string, unknown>; live?: Record<string, unknown> } | undefined> {
  const mapping = await rt.discovery.resolve(resource.apiVersion, resource.kind);
  if (!mapping) return undefined;
  const answer = await rt.client.request<KubeObject>({
    method: 'PATCH',
    path: objectPath(mapping, resource.namespace, resource.metadata.name),
    query: { fieldManager: FIELD_MANAGER, force: true, dryRun: 'All' },
    contentType: 'application/apply-patch+yaml',
    body: objectToApply(resource, mapping, rt.target, rt.env),
  });
  const fields = appliedFields(answer, FIELD_MANAGER) ?? {};
  const out: { desired: Record<string, unknown>; live?: Record<string, unknown> } = {
    desired: redactedView(answer, appliedView(answer)),
  };
  const entry = rt.entries.get(resource.app)?.get(resource.key);
  const obj = entry ? liveObject(rt, entry) : undefined;
  if (obj) {
    const remembered = entry?.fields ? mergeFields(fields, entry.fields) : fields;
    out.live = redactedView(obj, appliedView(obj, remembered));
  }
  return out;
}
