import {
  type ApplyContext,
  type ApplyOutcome,
  type DesiredResource,
  WheelhouseError,
} from '../../core/index.js';
import { refused } from './api-errors.js';
import { isNotFound, KubeApiError } from './client.js';
import { type Mapping, objectPath } from './discovery.js';
import { conditions } from './health/index.js';
import { runHook } from './hooks.js';
import { apiGroup, type KubeObject } from './kube-object.js';
import { ANNOTATION, FIELD_MANAGER, LABEL } from './labels.js';
import { appliedView, stableJson } from './live-spec.js';
import { appliedFields } from './managed-fields.js';
import { objectToApply } from './object-body.js';
import { entriesOf, pause, type Runtime, saveInventory } from './runtime.js';
import { whileStorageWarmsUp } from './storage-warmup.js';

const POLL_MS = 250;

/**
 * Server-side apply of one resource (field manager `wheelhouse`, conflicts forced: Git wins), after
 * finding its kind in discovery (waiting, bounded, for a CRD applied moments ago to be served).
 * A CRD resolves only once Established, so custom resources after it find their kind. The
 * inventory records what was applied before the call returns (inside a sync: when it ends).
 */
export async function applyResource(
  rt: Runtime,
  resource: DesiredResource,
  ctx: ApplyContext,
): Promise<ApplyOutcome> {
  const mapping = await resolveKind(rt, resource, ctx.signal);
  const watch = await whileStorageWarmsUp(() => rt.cache.ensure(mapping), ctx.signal);
  const hook = resource.hook ? { [ANNOTATION.digest]: ctx.digest } : {};
  const body = objectToApply(resource, mapping, rt.target, rt.env, hook);
  const path = objectPath(mapping, resource.namespace, resource.metadata.name);
  refuseShared(rt, resource, mapping);
  if (resource.hook) await deleteAndWait(rt, path, resource, ctx.signal);
  const send = () =>
    rt.client.request<KubeObject>({
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER, force: true },
      contentType: 'application/apply-patch+yaml',
      body,
      signal: ctx.signal,
    });
  let applied: KubeObject;
  try {
    applied = await whileStorageWarmsUp(send, ctx.signal).catch(async (err: unknown) => {
      // A PreSync hook runs before the app's own Namespace is applied: create the namespace.
      if (!mapping.namespaced || !missingNamespace(err)) throw err;
      await createNamespace(rt, resource.namespace, ctx.signal);
      return send();
    });
  } catch (err) {
    throw refused(resource, err);
  }
  watch.remember(applied);
  rt.appliedVersions.set(resource.key, applied.metadata.resourceVersion ?? '');
  const fields = appliedFields(applied, FIELD_MANAGER);
  const entries = entriesOf(rt, resource.app);
  entries.set(resource.key, {
    key: resource.key,
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    namespace: mapping.namespaced ? resource.namespace : '',
    name: resource.metadata.name,
    spec: resource.spec,
    view: stableJson(appliedView(applied, fields)),
    ...(fields ? { fields } : {}),
  });
  await saveInventory(rt, resource.app);
  ctx.progress(`applied ${resource.kind} ${resource.metadata.name}`);
  if (mapping.kind === 'CustomResourceDefinition') await waitEstablished(rt, resource, path, ctx.signal);
  if (resource.hook) return runHook(rt, resource, mapping, ctx);
  return {};
}

/**
 * One object belongs to one app: applying another app's object (same kind, namespace and name)
 * would have the two apps take it from each other on every sync.
 */
function refuseShared(rt: Runtime, resource: DesiredResource, mapping: Mapping): void {
  const namespace = mapping.namespaced ? resource.namespace : '';
  const live = rt.cache.get(mapping.apiVersion, mapping.kind, namespace, resource.metadata.name);
  const owner = live?.metadata.labels?.[LABEL.app];
  if (owner === undefined || owner === resource.app || !rt.entries.get(owner)?.has(resource.key)) return;
  const where = resource.origin ? `${resource.origin.file}:${resource.origin.line}: ` : '';
  throw new WheelhouseError(
    'CONFLICT',
    `${where}${resource.kind} ${namespace ? `${namespace}/` : ''}${resource.metadata.name} already belongs to app ${owner} on target ${rt.target}; an object can belong to one app — remove it from one of them`,
    { details: { app: resource.app, resource: resource.key } },
  );
}

/** The core group, `apps`, `batch`, ..., and `*.k8s.io`: groups the API server itself serves. */
function isBuiltinGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

function missingNamespace(err: unknown): boolean {
  if (!(err instanceof KubeApiError) || err.status !== 404) return false;
  const details = (err.body as { details?: { kind?: unknown } } | undefined)?.details;
  return details?.kind === 'namespaces';
}

/**
 * The namespace an object goes to, when nothing created it yet (a hook that runs before the app's
 * Namespace). Not recorded in the inventory: declare the Namespace in Git to have it managed.
 */
async function createNamespace(rt: Runtime, name: string, signal: AbortSignal): Promise<void> {
  await rt.client.request({
    method: 'PATCH',
    path: `/api/v1/namespaces/${encodeURIComponent(name)}`,
    query: { fieldManager: FIELD_MANAGER },
    contentType: 'application/apply-patch+yaml',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    signal,
  });
  rt.log.info({ target: rt.target, namespace: name }, 'created a namespace an object needed');
}

async function resolveKind(rt: Runtime, resource: DesiredResource, signal: AbortSignal): Promise<Mapping> {
  const deadline = Date.now() + rt.options.waitSeconds * 1000;
  for (;;) {
    const mapping = await rt.discovery.resolve(resource.apiVersion, resource.kind).catch((err: unknown) => {
      throw refused(resource, err, 'look up the kind of');
    });
    if (mapping) return mapping;
    // Only a custom resource's kind can appear later (its CRD being applied): built-in groups are
    // what they are, so a typo there fails at once.
    if (Date.now() > deadline || isBuiltinGroup(apiGroup(resource.apiVersion))) {
      const where = resource.origin ? `${resource.origin.file}:${resource.origin.line}: ` : '';
      throw new WheelhouseError(
        'MANIFEST_INVALID',
        `${where}the cluster of target ${rt.target} serves no kind ${resource.kind} in ${resource.apiVersion}; fix apiVersion/kind, or apply its CustomResourceDefinition first (in this app, or a lower wheelhouse/wave)`,
        {
          details: {
            app: resource.app,
            resource: resource.key,
            ...(resource.origin ? { file: resource.origin.file } : {}),
          },
        },
      );
    }
    // A CRD applied by another app may become Established any moment: look again shortly.
    await pause(POLL_MS * 4, signal);
  }
}

async function waitEstablished(
  rt: Runtime,
  resource: DesiredResource,
  path: string,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + rt.options.waitSeconds * 1000;
  for (;;) {
    const crd = await rt.client.request<KubeObject>({ method: 'GET', path, signal });
    const established = conditions(crd).find((c) => c.type === 'Established');
    if (established?.status === 'True') break;
    if (Date.now() > deadline) {
      throw new WheelhouseError(
        'HEALTH_TIMEOUT',
        `CustomResourceDefinition ${resource.metadata.name} is not Established after ${rt.options.waitSeconds}s${established?.message ? `: ${established.message}` : ''}`,
        { details: { app: resource.app, resource: resource.key } },
      );
    }
    await pause(POLL_MS, signal);
  }
  const spec = crdVersions(resource);
  for (const version of spec.versions) rt.discovery.forget(`${spec.group}/${version}`);
}

function crdVersions(resource: DesiredResource): { group: string; versions: string[] } {
  const spec = (resource.spec.spec ?? {}) as { group?: unknown; versions?: unknown };
  const versions = Array.isArray(spec.versions)
    ? spec.versions.map((v) => (v && typeof v === 'object' ? String((v as { name?: unknown }).name) : ''))
    : [];
  return { group: typeof spec.group === 'string' ? spec.group : '', versions };
}

/** Hooks run again for a new digest: the previous run goes first (Jobs are immutable). */
async function deleteAndWait(
  rt: Runtime,
  path: string,
  resource: DesiredResource,
  signal: AbortSignal,
): Promise<void> {
  try {
    await rt.client.request({
      method: 'DELETE',
      path,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
      signal,
    });
  } catch (err) {
    if (isNotFound(err)) return;
    throw refused(resource, err, 'delete the previous run of');
  }
  const deadline = Date.now() + rt.options.waitSeconds * 1000;
  for (;;) {
    try {
      await rt.client.request({ method: 'GET', path, signal });
    } catch (err) {
      if (isNotFound(err)) return;
      throw refused(resource, err, 'read');
    }
    if (Date.now() > deadline) {
      throw new WheelhouseError(
        'HEALTH_TIMEOUT',
        `the previous run of hook ${resource.metadata.name} is still being deleted after ${rt.options.waitSeconds}s`,
        {
          details: { app: resource.app, resource: resource.key },
        },
      );
    }
    await pause(POLL_MS, signal);
  }
}
