import type { YamlPath } from '../yaml/index.js';
import type { Reader } from './reader.js';

export type Condition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface Dependency {
  service: string;
  condition: Condition;
  path: YamlPath;
}

const CONDITIONS: readonly Condition[] = [
  'service_started',
  'service_healthy',
  'service_completed_successfully',
];

/** `depends_on:` as a list of names or a mapping of name -> { condition }. */
export function readDependsOn(reader: Reader, path: YamlPath, value: unknown): Dependency[] {
  const out: Dependency[] = [];
  if (Array.isArray(value)) {
    value.forEach((entry, i) => {
      const name = reader.text([...path, i], entry, 'a service name');
      if (name !== undefined) out.push({ service: name, condition: 'service_started', path: [...path, i] });
    });
    return out;
  }
  const map = reader.map(path, value, 'a list of services or a mapping of service: { condition }');
  if (!map) return out;
  for (const [service, options] of Object.entries(map)) {
    const at = [...path, service];
    if (options === null || options === undefined) {
      out.push({ service, condition: 'service_started', path: at });
      continue;
    }
    const settings = reader.map(at, options, 'a mapping such as { condition: service_healthy }');
    if (!settings) continue;
    reader.checkKeys(at, settings, ['condition']);
    const condition = settings.condition ?? 'service_started';
    if (!CONDITIONS.includes(condition as Condition)) {
      reader.issue([...at, 'condition'], `must be one of ${CONDITIONS.join(', ')}`);
      continue;
    }
    out.push({ service, condition: condition as Condition, path: at });
  }
  return out;
}

/**
 * Ordering waves from dependencies: a service's wave is one more than its deepest dependency's,
 * so the plan applies dependencies first; and the docker driver's apply returns only once a
 * container is healthy (or has completed), so `service_healthy` and
 * `service_completed_successfully` hold before dependents start. Unknown services and cycles are
 * reported.
 */
export function dependencyWaves(
  reader: Reader,
  dependencies: ReadonlyMap<string, readonly Dependency[]>,
): Map<string, number> {
  const waves = new Map<string, number>();
  const visiting = new Set<string>();
  const reported = new Set<string>();
  const visit = (service: string, trail: string[]): number => {
    const known = waves.get(service);
    if (known !== undefined) return known;
    if (visiting.has(service)) return 0;
    visiting.add(service);
    let wave = 0;
    for (const dep of dependencies.get(service) ?? []) {
      if (!dependencies.has(dep.service)) {
        reader.issue(dep.path, `depends on "${dep.service}", which is not a service in this file`, 'key');
        continue;
      }
      if (dep.service === service || trail.includes(dep.service)) {
        const cycle = [...trail.slice(trail.indexOf(dep.service)), service, dep.service];
        const id = [...cycle].sort().join(',');
        if (!reported.has(id)) {
          reported.add(id);
          reader.issue(
            dep.path,
            `depends_on forms a cycle: ${cycle.join(' -> ')} — remove one of these dependencies`,
            'key',
          );
        }
        continue;
      }
      wave = Math.max(wave, visit(dep.service, [...trail, service]) + 1);
    }
    visiting.delete(service);
    waves.set(service, wave);
    return wave;
  };
  for (const service of dependencies.keys()) visit(service, []);
  return waves;
}
