import type { KubeObject } from './kube-object.js';

/** A `fieldsV1` set: `f:<field>`, `k:<json keys>` (list item by key), `v:<json>` (set item), `i:<index>`, `.` (this node). */
export type FieldSet = { [entry: string]: FieldSet };

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields a manager owns through server-side apply on an object (merged over its entries). */
export function appliedFields(obj: KubeObject, manager: string): FieldSet | undefined {
  const entries = obj.metadata.managedFields;
  if (!Array.isArray(entries)) return undefined;
  let out: FieldSet | undefined;
  for (const entry of entries) {
    if (!isMapping(entry) || entry.manager !== manager || entry.operation !== 'Apply') continue;
    if (entry.subresource !== undefined && entry.subresource !== '') continue;
    if (isMapping(entry.fieldsV1)) out = mergeFields(out ?? {}, entry.fieldsV1 as FieldSet);
  }
  return out;
}

export function mergeFields(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = out[k] ? mergeFields(out[k], v) : v;
  return out;
}

/**
 * The part of `value` a field set covers, with the values as they are now: what Wheelhouse
 * applied, seen live. A field someone else changed keeps its new value here; one they removed is
 * absent. List items keyed by `k:` / `v:` / `i:` are kept in live order.
 */
export function project(value: unknown, fields: FieldSet): unknown {
  const children = Object.keys(fields).filter((k) => k !== '.');
  if (children.length === 0) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, index) => {
      for (const entry of children) {
        const sub = fields[entry];
        if (sub && itemMatches(entry, item, index)) {
          out.push(project(item, sub));
          return;
        }
      }
    });
    return out;
  }
  if (!isMapping(value)) return value;
  const out: Record<string, unknown> = {};
  for (const entry of children) {
    if (!entry.startsWith('f:')) continue;
    const name = entry.slice(2);
    const sub = fields[entry];
    if (sub && name in value) out[name] = project(value[name], sub);
  }
  return out;
}

function itemMatches(entry: string, item: unknown, index: number): boolean {
  if (entry.startsWith('i:')) return Number(entry.slice(2)) === index;
  const json = parseJson(entry.slice(2));
  if (entry.startsWith('v:')) return JSON.stringify(json) === JSON.stringify(item);
  if (entry.startsWith('k:') && isMapping(json) && isMapping(item)) {
    return Object.entries(json).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v));
  }
  return false;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
