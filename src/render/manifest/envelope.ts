import type { ObjectMeta, Resource, ValidationIssue } from '../../core/index.js';
import { DNS_LABEL_HINT, didYouMean, formatFieldPath, isDnsLabel } from '../../util/index.js';
import type { YamlDocument } from '../yaml/index.js';

export const API_VERSION = 'wheelhouse/v1';

const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];
const META_KEYS = ['name', 'namespace', 'labels', 'annotations'];

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks one manifest document's envelope (`apiVersion`, `kind`, `metadata`, `spec`); the spec
 * itself is the kind's business. Returns the resource when the envelope is sound, and every issue.
 * A bad `metadata.name` alone still returns the resource, so the kind checks its spec and one run
 * shows every error of the document (with issues reported, nothing is applied).
 */
export function readEnvelope(
  value: unknown,
  doc: YamlDocument,
  file: string,
): { resource?: Resource; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const report = (path: (string | number)[], message: string, at: 'key' | 'value' = 'value') => {
    const p = doc.locate(path, at);
    issues.push({ file, line: p.line, column: p.column, path: formatFieldPath(path), message });
  };
  if (!isMapping(value)) {
    report(
      [],
      `a manifest document must be a mapping with apiVersion: ${API_VERSION}, kind, metadata and spec`,
    );
    return { issues };
  }
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.includes(key)) {
      const hint =
        key === 'status'
          ? ' — status is observed, not declared; remove it'
          : didYouMean(key, TOP_KEYS) || ` — allowed: ${TOP_KEYS.join(', ')}`;
      report([key], `unknown key "${key}"${hint}`, 'key');
    }
  }

  if (value.apiVersion === undefined)
    report(['apiVersion'], `is required — add \`apiVersion: ${API_VERSION}\``);
  else if (value.apiVersion !== API_VERSION) {
    const got = typeof value.apiVersion === 'string' ? `"${value.apiVersion}"` : 'a non-text value';
    report(['apiVersion'], `must be ${API_VERSION}, not ${got}`);
  }

  const kind = value.kind;
  if (kind === undefined || kind === null)
    report(['kind'], 'is required — add `kind: Process` (or another kind the target serves)');
  else if (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    report(['kind'], 'must be a kind name in PascalCase, e.g. Process');
  }

  const before = issues.length;
  const metadata = readMetadata(value.metadata, report);
  const onlyNameIssues =
    issues.length > before && issues.slice(before).every((i) => i.path === 'metadata.name');
  const spec = value.spec === undefined || value.spec === null ? {} : value.spec;
  if (!isMapping(spec)) report(['spec'], "must be a mapping of the kind's fields");

  const blocking = issues.length - (onlyNameIssues ? issues.length - before : 0);
  if (blocking > 0 || typeof kind !== 'string' || !metadata || !isMapping(spec)) return { issues };
  return { resource: { apiVersion: API_VERSION, kind, metadata, spec }, issues };
}

function readMetadata(
  value: unknown,
  report: (path: (string | number)[], message: string, at?: 'key' | 'value') => void,
): ObjectMeta | undefined {
  if (value === undefined || value === null) {
    report(['metadata'], 'is required — add `metadata: { name: web }`');
    return undefined;
  }
  if (!isMapping(value)) {
    report(['metadata'], 'must be a mapping with at least a name');
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!META_KEYS.includes(key)) {
      report(
        ['metadata', key],
        `unknown key "${key}"${didYouMean(key, META_KEYS) || ` — allowed: ${META_KEYS.join(', ')}`}`,
        'key',
      );
      ok = false;
    }
  }
  const name = value.name;
  if (name === undefined || name === null) {
    report(['metadata', 'name'], 'is required — add `name: web` (a DNS label, unique per kind in the app)');
    ok = false;
  } else if (typeof name !== 'string' || !isDnsLabel(name)) {
    // Not fatal here: the caller still has the kind check the spec (see readEnvelope).
    report(
      ['metadata', 'name'],
      `${typeof name === 'string' ? `"${name}"` : 'this'} is not a valid name — ${DNS_LABEL_HINT}`,
    );
  }
  const meta: ObjectMeta = { name: typeof name === 'string' ? name : '' };
  if (value.namespace !== undefined && value.namespace !== null) {
    if (typeof value.namespace !== 'string' || !isDnsLabel(value.namespace)) {
      report(['metadata', 'namespace'], `is not a valid namespace — ${DNS_LABEL_HINT}`);
      ok = false;
    } else meta.namespace = value.namespace;
  }
  for (const field of ['labels', 'annotations'] as const) {
    const raw = value[field];
    if (raw === undefined || raw === null) continue;
    if (!isMapping(raw)) {
      report(['metadata', field], `must be a mapping of text keys to text values`);
      ok = false;
      continue;
    }
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(raw)) {
      if (typeof v === 'string') out[key] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
      else {
        report(['metadata', field, key], `${field} values must be text — quote the value`);
        ok = false;
      }
    }
    meta[field] = out;
  }
  return ok ? meta : undefined;
}
