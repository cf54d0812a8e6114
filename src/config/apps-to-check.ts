import type { AppSpec, ControlConfig } from '../core/index.js';
import type { YamlDocument } from '../render/yaml/index.js';
import type { AppProblem } from './app-sources.js';
import { buildApp, type ControlRepo, withProblem } from './build-config.js';
import { LOCAL_TARGET } from './defaults.js';
import { appSchema } from './schema/apps.js';
import { isMapping } from './schema/fields.js';

export interface AppEntry {
  name: string;
  index: number;
  app?: AppSpec;
  /** Driver of the app's target, when the target is sound. */
  driver?: string;
  /** Its options (a kubernetes target's default namespace). */
  targetOptions?: Record<string, unknown>;
}

/**
 * Apps to check: from the config when it is valid, else every app entry that is valid on its
 * own (so a typo elsewhere does not hide the manifests' errors).
 */
export function appsToCheck(
  config: ControlConfig | undefined,
  doc: YamlDocument | undefined,
  repo: ControlRepo,
  drivers: readonly string[],
  problems: readonly AppProblem[],
): AppEntry[] {
  if (config) {
    return config.apps.map((app, index) => {
      const target = config.targets[app.target];
      return target === undefined
        ? { name: app.name, index, app }
        : { name: app.name, index, app, driver: target.driver, targetOptions: target.options };
    });
  }
  const raw = doc?.value;
  if (!isMapping(raw) || !Array.isArray(raw.apps)) return [];
  const targets = isMapping(raw.targets) ? raw.targets : {};
  const seen = new Set<string>();
  const out: AppEntry[] = [];
  raw.apps.forEach((entry: unknown, index: number) => {
    const name = isMapping(entry) && typeof entry.name === 'string' ? entry.name : `apps[${index}]`;
    if (seen.has(name)) return;
    seen.add(name);
    const parsed = appSchema.safeParse(entry);
    // An error that does not concern where the manifests are (a typo'd optional key) is reported
    // by the config check; the app's manifests are still checked, so one run shows every error.
    const usable = parsed.success ? parsed : appSchema.safeParse(withoutBadKeys(entry, parsed.error.issues));
    if (!usable.success) {
      out.push({ name, index });
      return;
    }
    const app = withProblem(buildApp(usable.data, repo), index, problems);
    const declared = targets[app.target];
    const driver =
      app.target === LOCAL_TARGET.name
        ? LOCAL_TARGET.driver
        : isMapping(declared) && typeof declared.driver === 'string' && drivers.includes(declared.driver)
          ? declared.driver
          : undefined;
    const { driver: _, ...targetOptions } = isMapping(declared) ? declared : {};
    out.push(driver === undefined ? { name, index, app } : { name, index, app, driver, targetOptions });
  });
  return out;
}

/** Keys that say where an app's manifests are and what reads them: an error there skips the app. */
const LOCATING_KEYS: ReadonlySet<string> = new Set(['name', 'path', 'source', 'target']);

/**
 * The app entry without the top-level keys its issues are about (unknown keys, bad optional
 * values), or undefined when an issue concerns a key that locates the manifests.
 */
function withoutBadKeys(
  entry: unknown,
  issues: readonly { code: string; path: PropertyKey[]; keys?: string[] }[],
): unknown {
  if (!isMapping(entry)) return undefined;
  const bad = new Set<string>();
  for (const issue of issues) {
    const head = issue.path[0];
    if (issue.code === 'unrecognized_keys' && head === undefined)
      for (const key of issue.keys ?? []) bad.add(key);
    else if (typeof head === 'string') bad.add(head);
    else return undefined;
  }
  if ([...bad].some((key) => LOCATING_KEYS.has(key))) return undefined;
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !bad.has(key)));
}
