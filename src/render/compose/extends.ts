import type { YamlPath } from '../yaml/index.js';
import { mergeService } from './merge.js';
import type { Reader } from './reader.js';

type Mapping = Record<string, unknown>;

/**
 * Reads the base service of `extends: { file, service }` from another file (extends-file.ts):
 * resolved, with its relative paths rewritten for the extending service's file; undefined when
 * that was reported.
 */
export type ExtendsLoader = (
  ref: { file: string; service: string },
  at: YamlPath,
  name: string,
) => Mapping | undefined;

/**
 * Services with `extends: { service: base }` (or `extends: base`) -> the base's definition with the
 * service's own keys merged over it (Compose's merge rules), bases first, so chains work. With
 * `file:` the base comes from that file (through `load`). A missing base or a cycle is reported
 * once at the `extends` key; the service is then read as written.
 */
export function resolveExtends(reader: Reader, services: Mapping, load?: ExtendsLoader): Mapping {
  const out: Mapping = {};
  const resolving = new Set<string>();
  const resolve = (name: string): unknown => {
    if (name in out) return out[name];
    const raw = services[name];
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !('extends' in raw)) {
      out[name] = raw;
      return raw;
    }
    const { extends: spec, ...own } = raw as Mapping;
    const at = ['services', name, 'extends'];
    const ref = baseRef(reader, at, spec);
    let parent: unknown;
    if (ref?.file !== undefined) {
      parent = load
        ? load({ file: ref.file, service: ref.service }, at, name)
        : reader.issue(at, '"extends.file" is not supported here — extend a service of the same file');
    } else if (ref !== undefined) {
      const base = ref.service;
      if (!(base in services)) {
        reader.issue(at, `extends "${base}", which is not a service in this file`);
      } else if (resolving.has(base) || base === name) {
        reader.issue(at, `extends forms a cycle through "${base}" — remove one of the extends`);
      } else {
        resolving.add(name);
        parent = resolve(base);
        resolving.delete(name);
      }
    }
    let result: unknown = own;
    if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
      // What a service is for stays its own: dependencies are not inherited (as in Compose).
      const { depends_on: _dependsOn, ...inherited } = parent as Mapping;
      result = mergeService(inherited, own);
    }
    out[name] = result;
    return result;
  };
  for (const name of Object.keys(services)) resolve(name);
  return out;
}

function baseRef(
  reader: Reader,
  at: YamlPath,
  spec: unknown,
): { service: string; file?: string } | undefined {
  if (typeof spec === 'string') return { service: spec };
  const map = reader.map(at, spec, 'a service name or { service: NAME, file: PATH }');
  if (!map) return undefined;
  reader.checkKeys(at, map, ['service', 'file']);
  const service = reader.text([...at, 'service'], map.service, 'the name of the service to extend');
  if (service === undefined) return undefined;
  if (map.file === undefined) return { service };
  const file = reader.text([...at, 'file'], map.file, 'a compose file path relative to this file');
  return file === undefined ? undefined : { service, file };
}
