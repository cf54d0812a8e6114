/**
 * Compose's merge rules, for an override file over its base and for `extends`: mappings merge key
 * by key; `environment`, `labels`, `sysctls`, `extra_hosts` and the like merge by name whether
 * written as a mapping or a `KEY=VALUE` list; `volumes` and `devices` merge by container path;
 * `ports`, `expose`, `dns`, `cap_add` and similar lists add up; any other value is replaced.
 */
type Value = unknown;
type Mapping = Record<string, Value>;

const BY_NAME = new Set(['environment', 'labels', 'sysctls', 'extra_hosts', 'annotations', 'args']);
const BY_TARGET = new Set(['volumes', 'devices']);
const UNION = new Set([
  'ports',
  'expose',
  'dns',
  'dns_search',
  'dns_opt',
  'cap_add',
  'cap_drop',
  'env_file',
  'external_links',
  'tmpfs',
  'security_opt',
]);

const isMapping = (value: Value): value is Mapping =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Two project files: services merge service by service, networks and volumes entry by entry. */
export function mergeProject(base: Mapping, over: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const mine = base[key];
    if (
      (key === 'services' || key === 'networks' || key === 'volumes') &&
      isMapping(mine) &&
      isMapping(value)
    ) {
      const merged: Mapping = { ...mine };
      for (const [name, entry] of Object.entries(value)) {
        const old = mine[name];
        merged[name] = isMapping(old) && isMapping(entry) ? mergeService(old, entry) : entry;
      }
      out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

/** One service (or network, volume) definition over another. */
export function mergeService(base: Mapping, over: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const mine = base[key];
    if (mine === undefined) out[key] = value;
    else if (BY_NAME.has(key)) out[key] = { ...byName(mine), ...byName(value) };
    else if (BY_TARGET.has(key) && Array.isArray(mine) && Array.isArray(value))
      out[key] = byTarget(mine, value);
    else if (UNION.has(key) && Array.isArray(mine) && Array.isArray(value))
      out[key] = [...mine, ...value.filter((v) => !mine.some((m) => same(m, v)))];
    else if (isMapping(mine) && isMapping(value)) out[key] = mergeService(mine, value);
    else out[key] = value;
  }
  return out;
}

/** `[A=1, B]` or `{ A: 1 }` as a mapping (a bare `B` stays as `B: null`, as Compose reads it). */
function byName(value: Value): Mapping {
  if (isMapping(value)) return value;
  const out: Mapping = {};
  if (!Array.isArray(value)) return out;
  for (const entry of value) {
    const text = String(entry);
    const eq = text.search(/[=:]/);
    if (eq < 0) out[text] = null;
    else out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return out;
}

/** The container path of a mount or device entry, short (`src:/dst[:ro]`) or long form. */
function targetOf(entry: Value): string | undefined {
  if (isMapping(entry)) return typeof entry.target === 'string' ? entry.target : undefined;
  if (typeof entry !== 'string') return undefined;
  const parts = entry.split(':');
  if (parts.length === 1) return parts[0];
  return parts[1]?.startsWith('/') ? parts[1] : parts[0];
}

function byTarget(base: readonly Value[], over: readonly Value[]): Value[] {
  const replaced = new Set(over.map(targetOf).filter((t) => t !== undefined));
  return [...base.filter((entry) => !replaced.has(targetOf(entry) ?? '')), ...over];
}

function same(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
