import type { Reader } from './reader.js';

type Mapping = Record<string, unknown>;

/**
 * Compose profiles: a service with `profiles:` runs only when the app enables one of them
 * (`compose.profiles` of the app in wheelhouse.yaml); a service without runs always. A running
 * service that depends on one that does not run is reported at that dependency (once), and the
 * dependency is dropped so nothing else reports it again.
 */
export function activeServices(reader: Reader, services: Mapping, enabled: readonly string[]): Mapping {
  const inactive = new Map<string, string[]>();
  const out: Mapping = {};
  for (const [name, service] of Object.entries(services)) {
    const profiles = profilesOf(reader, name, service);
    if (profiles === undefined || profiles.length === 0 || profiles.some((p) => enabled.includes(p))) {
      out[name] = service;
    } else inactive.set(name, profiles);
  }
  for (const [name, service] of Object.entries(out)) {
    if (service === null || typeof service !== 'object' || Array.isArray(service)) continue;
    const dependsOn = (service as Mapping).depends_on;
    const named = Array.isArray(dependsOn)
      ? dependsOn.filter((d): d is string => typeof d === 'string')
      : dependsOn !== null && typeof dependsOn === 'object'
        ? Object.keys(dependsOn)
        : [];
    const missing = named.filter((dep) => inactive.has(dep));
    if (missing.length === 0) continue;
    for (const dep of missing) {
      const at = Array.isArray(dependsOn) ? dependsOn.indexOf(dep) : dep;
      const profiles = (inactive.get(dep) ?? []).join(', ');
      reader.issue(
        ['services', name, 'depends_on', at],
        `depends on "${dep}", which runs only with profile ${profiles} — enable it in the app's compose.profiles in wheelhouse.yaml, or remove the dependency`,
        'key',
      );
    }
    const kept = Array.isArray(dependsOn)
      ? dependsOn.filter((d) => !missing.includes(d as string))
      : Object.fromEntries(Object.entries(dependsOn as Mapping).filter(([d]) => !missing.includes(d)));
    out[name] = { ...(service as Mapping), depends_on: kept };
  }
  return out;
}

function profilesOf(reader: Reader, name: string, service: unknown): string[] | undefined {
  if (service === null || typeof service !== 'object' || Array.isArray(service)) return undefined;
  const value = (service as Mapping).profiles;
  if (value === undefined) return undefined;
  const at = ['services', name, 'profiles'];
  const list = reader.strings(at, value);
  for (const [i, profile] of (list ?? []).entries()) {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(profile))
      reader.issue([...at, i], `"${profile}" is not a profile name — use letters, digits, "_", "." and "-"`);
  }
  return list;
}
