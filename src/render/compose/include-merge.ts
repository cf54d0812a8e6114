import type { IncludedProject } from './include.js';
import type { Reader } from './reader.js';

type Mapping = Record<string, unknown>;

const KINDS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;
type Kind = (typeof KINDS)[number];

const isMapping = (value: unknown): value is Mapping =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Where an included service's relative paths and `${VAR}`s are read from. */
export interface ServiceOrigin {
  dir: string;
  vars: ReadonlyMap<string, string>;
}

export interface MergedProject {
  top: Mapping;
  /** Included services, by name (the others come from the compose file itself). */
  origins: Map<string, ServiceOrigin>;
  /** Each included project's own secrets and configs (their `file:` is relative to it). */
  parts: { dir: string; secrets?: Mapping; configs?: Mapping }[];
}

/**
 * Copies every service, network, volume, secret and config of the included projects into the
 * project. A name already defined (by the file or an earlier include) is an error at the included
 * definition, naming the other file: Compose does not merge included resources.
 */
export function mergeIncluded(
  reader: Reader,
  file: string,
  top: Mapping,
  included: readonly IncludedProject[],
): MergedProject {
  const out: Mapping = { ...top };
  const owners = new Map<Kind, Map<string, string>>();
  for (const kind of KINDS) {
    const own = isMapping(top[kind]) ? top[kind] : {};
    owners.set(kind, new Map(Object.keys(own).map((name) => [name, file])));
    if (kind !== 'secrets' && kind !== 'configs' && (isMapping(top[kind]) || top[kind] === undefined))
      out[kind] = { ...own };
  }
  const origins = new Map<string, ServiceOrigin>();
  const parts: MergedProject['parts'] = [];
  for (const project of included) {
    const part: MergedProject['parts'][number] = { dir: project.dir };
    for (const kind of KINDS) {
      const entries = project.top[kind];
      if (!isMapping(entries)) continue;
      const taken = owners.get(kind) ?? new Map<string, string>();
      const kept: Mapping = {};
      for (const [name, value] of Object.entries(entries)) {
        const other = taken.get(name);
        if (other !== undefined) {
          reader.issue(
            [kind, name],
            `${kind.slice(0, -1)} "${name}" is also defined in ${other} — included files are not merged: rename one of them, or remove it`,
            'key',
          );
          continue;
        }
        taken.set(name, project.file);
        kept[name] = value;
        if (kind === 'services') origins.set(name, { dir: project.dir, vars: project.vars });
      }
      if (kind === 'secrets' || kind === 'configs') part[kind] = kept;
      else if (isMapping(out[kind])) out[kind] = { ...out[kind], ...kept };
    }
    parts.push(part);
  }
  for (const kind of ['services', 'networks', 'volumes'] as const) {
    const merged = out[kind];
    if (isMapping(merged) && Object.keys(merged).length === 0 && top[kind] === undefined) delete out[kind];
  }
  return { top: out, origins, parts };
}
