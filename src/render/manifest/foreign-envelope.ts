import type { ObjectMeta, Resource, ValidationIssue } from '../../core/index.js';
import { formatFieldPath } from '../../util/index.js';
import type { YamlDocument } from '../yaml/index.js';

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A DNS subdomain (RFC 1123): what most platforms (Kubernetes) accept as an object name. */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The envelope of a platform's own manifest (a Kubernetes object) for a target whose driver takes
 * them: a text `apiVersion`, a PascalCase `kind` and a `metadata.name`; everything else is the
 * platform's to judge at apply time. The resource keeps the whole object: its `spec` is the object
 * without `apiVersion` and `kind`.
 */
export function readForeignEnvelope(
  value: unknown,
  doc: YamlDocument,
  file: string,
): { resource?: Resource; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const report = (path: (string | number)[], message: string) => {
    const p = doc.locate(path, 'value');
    issues.push({ file, line: p.line, column: p.column, path: formatFieldPath(path), message });
  };
  if (!isMapping(value)) {
    report([], 'a manifest document must be a mapping with apiVersion, kind and metadata.name');
    return { issues };
  }
  const { apiVersion, kind, metadata, ...rest } = value;
  if (typeof apiVersion !== 'string' || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) {
    report(['apiVersion'], "is required: the object's API version, e.g. `v1` or `apps/v1`");
  }
  if (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    report(['kind'], "is required: the object's kind in PascalCase, e.g. Deployment");
  }
  const meta = readMetadata(metadata, report);
  if (issues.length > 0 || !meta || typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return { issues };
  }
  const spec: Record<string, unknown> = { ...rest, metadata };
  return { resource: { apiVersion, kind, metadata: meta.meta, spec }, issues };
}

function readMetadata(
  value: unknown,
  report: (path: (string | number)[], message: string) => void,
): { meta: ObjectMeta } | undefined {
  if (!isMapping(value)) {
    report(['metadata'], 'is required: a mapping with at least `name`');
    return undefined;
  }
  const { name, namespace, labels, annotations } = value;
  let ok = true;
  if (typeof name !== 'string' || name.length > 253 || !SUBDOMAIN.test(name)) {
    report(
      ['metadata', 'name'],
      'is required: lowercase letters, digits, "-" and "." (a DNS subdomain, at most 253 characters)',
    );
    ok = false;
  }
  if (
    namespace !== undefined &&
    (typeof namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace))
  ) {
    report(['metadata', 'namespace'], 'must be a namespace name: lowercase letters, digits and "-"');
    ok = false;
  }
  const meta: ObjectMeta = { name: typeof name === 'string' ? name : '' };
  if (typeof namespace === 'string') meta.namespace = namespace;
  for (const [field, raw] of [
    ['labels', labels],
    ['annotations', annotations],
  ] as const) {
    if (raw === undefined || raw === null) continue;
    if (!isMapping(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
      report(
        ['metadata', field],
        'must be a mapping of text keys to text values — quote numbers and booleans',
      );
      ok = false;
      continue;
    }
    meta[field] = raw as Record<string, string>;
  }
  return ok ? { meta } : undefined;
}
