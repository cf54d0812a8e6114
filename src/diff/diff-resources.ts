import {
  type DesiredResource,
  type FieldChange,
  type LiveResource,
  type ResourceChange,
  WheelhouseError,
} from '../core/index.js';
import { diffFields } from './fields.js';

export interface DiffOptions {
  /**
   * The app digest being synced. A hook is `configured` (runs again) when the live hook last ran
   * for another digest and `unchanged` when it ran for this one. Without a digest, hooks are
   * compared by spec like any other resource.
   */
  digest?: string;
}

/** Pseudo-field shown on a hook that runs again: the digest it last ran for → the new one. */
export const HOOK_DIGEST_PATH = 'hook.digest';

/**
 * Desired vs live, per resource: `created` (only desired), `deleted` (only live), `configured`
 * (fields differ, the driver reports drift, or the live spec is unknown) or `unchanged`, with
 * field-level changes under `spec.`. Pure; the result is ordered by resource key.
 */
export function diffResources(
  desired: readonly DesiredResource[],
  live: readonly LiveResource[],
  options: DiffOptions = {},
): ResourceChange[] {
  const liveByKey = indexLive(live);
  const seen = new Map<string, DesiredResource>();
  const changes: ResourceChange[] = [];
  for (const resource of desired) {
    const earlier = seen.get(resource.key);
    if (earlier) throw duplicateDesired(earlier, resource);
    seen.set(resource.key, resource);
    changes.push(diffOne(resource, liveByKey.get(resource.key), options));
  }
  for (const resource of live) {
    if (seen.has(resource.key)) continue;
    changes.push({
      key: resource.key,
      kind: resource.kind,
      name: resource.name,
      action: 'deleted',
      fields: resource.spec === null ? [] : diffFields(resource.spec, undefined, 'spec'),
    });
  }
  return changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function diffOne(
  desired: DesiredResource,
  live: LiveResource | undefined,
  options: DiffOptions,
): ResourceChange {
  const base = { key: desired.key, kind: desired.kind, name: desired.metadata.name };
  if (!live) return { ...base, action: 'created', fields: diffFields(undefined, desired.spec, 'spec') };
  if (live.spec === null) {
    return {
      ...base,
      action: 'configured',
      fields: [{ path: 'spec', desired: desired.spec }],
      drift: live.drift || 'the target did not report this resource’s spec; it is applied again',
    };
  }
  const fields = diffFields(live.spec, desired.spec, 'spec');
  if (desired.hook !== undefined && options.digest !== undefined) {
    // Hooks run once per digest; drift on a finished hook means nothing.
    if (live.appliedDigest === options.digest) return { ...base, action: 'unchanged', fields: [] };
    const digestChange: FieldChange = { path: HOOK_DIGEST_PATH, desired: options.digest };
    if (live.appliedDigest !== undefined) digestChange.live = live.appliedDigest;
    return { ...base, action: 'configured', fields: [...fields, digestChange] };
  }
  const change: ResourceChange = { ...base, action: fields.length > 0 ? 'configured' : 'unchanged', fields };
  if (live.drift && desired.hook === undefined) {
    change.action = 'configured';
    change.drift = live.drift;
  }
  return change;
}

function indexLive(live: readonly LiveResource[]): Map<string, LiveResource> {
  const byKey = new Map<string, LiveResource>();
  for (const resource of live) {
    if (byKey.has(resource.key)) {
      throw new WheelhouseError(
        'DRIVER_FAILED',
        `the driver reported resource ${resource.key} twice for app ${resource.app}; this is a driver bug — restart the engine and report it`,
        { details: { app: resource.app, resource: resource.key } },
      );
    }
    byKey.set(resource.key, resource);
  }
  return byKey;
}

function duplicateDesired(first: DesiredResource, second: DesiredResource): WheelhouseError {
  const where = (resource: DesiredResource) =>
    resource.origin ? `${resource.origin.file}:${resource.origin.line}` : 'an unknown file';
  return new WheelhouseError(
    'MANIFEST_INVALID',
    `app ${second.app} declares ${second.kind} ${second.metadata.name} twice (${where(first)} and ${where(second)}); give each resource a unique kind and name`,
    {
      details: {
        app: second.app,
        resource: second.key,
        ...(second.origin
          ? { file: second.origin.file, line: second.origin.line, column: second.origin.column }
          : {}),
      },
    },
  );
}
