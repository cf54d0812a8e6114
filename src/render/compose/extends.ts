import { mergeService } from './merge.js';
import type { Reader } from './reader.js';

type Mapping = Record<string, unknown>;

/**
 * Services with `extends: { service: base }` (or `extends: base`) -> the base's definition with the
 * service's own keys merged over it (Compose's merge rules), bases first, so chains work. A
 * missing base, a cycle or `extends.file` is reported once at the `extends` key; the service is
 * then read as written.
 */
export function resolveExtends(reader: Reader, services: Mapping): Mapping {
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
    const base = baseName(reader, at, spec);
    let result: unknown = own;
    if (base !== undefined) {
      if (!(base in services)) {
        reader.issue(at, `extends "${base}", which is not a service in this file`);
      } else if (resolving.has(base) || base === name) {
        reader.issue(at, `extends forms a cycle through "${base}" — remove one of the extends`);
      } else {
        resolving.add(name);
        const parent = resolve(base);
        resolving.delete(name);
        if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
          // What a service is for stays its own: dependencies are not inherited (as in Compose).
          const { depends_on: _dependsOn, ...inherited } = parent as Mapping;
          result = mergeService(inherited, own);
        }
      }
    }
    out[name] = result;
    return result;
  };
  for (const name of Object.keys(services)) resolve(name);
  return out;
}

function baseName(reader: Reader, at: (string | number)[], spec: unknown): string | undefined {
  if (typeof spec === 'string') return spec;
  const map = reader.map(at, spec, 'a service name or { service: NAME }');
  if (!map) return undefined;
  reader.checkKeys(at, map, ['service'], {
    file: '"extends.file" is not supported — extend a service of the same file, or copy the base service into it',
  });
  if (map.file !== undefined) return undefined;
  return reader.text([...at, 'service'], map.service, 'the name of the service to extend');
}
