import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AppSpec, ControlConfig, KindRegistry, ValidationIssue } from '../core/index.js';
import type { Renderer } from '../render/index.js';
import { orderIssues, renderApp } from '../render/index.js';
import { DEFAULT_YAML_LIMITS, type YamlDocument, type YamlLimits } from '../render/yaml/index.js';
import { formatBytes } from '../util/index.js';
import type { AppProblem } from './app-sources.js';
import { buildApp, type ControlRepo, withProblem } from './build-config.js';
import { LOCAL_TARGET } from './defaults.js';
import { parseControlConfig } from './parse-config.js';
import { appSchema } from './schema/apps.js';
import { isMapping } from './schema/fields.js';
import { readWorkingTree } from './working-tree.js';

export const CONFIG_FILE = 'wheelhouse.yaml';

/** Most files read below one app's path. */
const MAX_FILES_PER_APP = 10_000;

export interface AppValidation {
  name: string;
  status: 'checked' | 'skipped';
  /** Why an app was skipped. */
  reason?: string;
  /** Resources its manifests declare (0 when skipped). */
  resources: number;
}

export interface RepoValidation {
  /** Present when wheelhouse.yaml is valid. */
  config?: ControlConfig;
  /** Every problem found, config and manifests, in file order. */
  issues: ValidationIssue[];
  apps: AppValidation[];
}

export interface ValidateRepoOptions {
  kinds: KindRegistry;
  drivers: readonly string[];
  renderers?: readonly Renderer[];
  limits?: Partial<YamlLimits>;
}

/**
 * Checks a control repo's working tree: wheelhouse.yaml, then the manifests of every app whose
 * source is this repo (read from disk as Git would hold them). Apps from other repos are listed
 * as skipped. Apps whose own entry is valid are checked even when other parts of the file are not.
 */
export async function validateControlRepo(
  dir: string,
  options: ValidateRepoOptions,
): Promise<RepoValidation> {
  const root = resolve(dir);
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const top = (message: string): RepoValidation => ({
    issues: [{ file: CONFIG_FILE, line: 1, column: 1, path: '', message }],
    apps: [],
  });

  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory())
    return top(`the directory ${dir} does not exist — give the control repo's directory`);
  const configStat = await stat(join(root, CONFIG_FILE)).catch(() => undefined);
  if (configStat?.isFile() && configStat.size > limits.maxBytes) {
    return top(
      `is ${formatBytes(configStat.size)}, over the ${formatBytes(limits.maxBytes)} limit — move apps into fewer, smaller entries`,
    );
  }
  const text = configStat?.isFile() ? await readFile(join(root, CONFIG_FILE)) : undefined;
  if (text === undefined) {
    const yml = await stat(join(root, 'wheelhouse.yml')).catch(() => undefined);
    return top(
      yml
        ? 'not found, but wheelhouse.yml is there — rename it to wheelhouse.yaml'
        : `not found in ${dir} — create it (see docs/configuration.md); a control repo declares its apps there`,
    );
  }

  const controlRepo: ControlRepo = { url: root, ref: 'HEAD' };
  const parsed = parseControlConfig({
    text,
    file: CONFIG_FILE,
    controlRepo,
    drivers: options.drivers,
    limits,
  });
  const issues = [...parsed.issues];
  const apps: AppValidation[] = [];

  const entries = appsToCheck(
    parsed.config,
    parsed.document,
    controlRepo,
    options.drivers,
    parsed.appProblems,
  );
  for (const entry of entries) {
    const { app, index, driver, targetOptions } = entry;
    if (!app) {
      apps.push({
        name: entry.name,
        status: 'skipped',
        reason: 'its entry in wheelhouse.yaml has errors',
        resources: 0,
      });
      continue;
    }
    if (app.problem) {
      apps.push({
        name: app.name,
        status: 'skipped',
        reason: `its ${app.problem.path} has errors`,
        resources: 0,
      });
      continue;
    }
    if (!app.sourceIsControlRepo) {
      const where =
        app.source.repo === root
          ? `this repo at ref ${app.source.ref}`
          : `${app.source.repo} (ref ${app.source.ref})`;
      apps.push({
        name: app.name,
        status: 'skipped',
        reason: `its source is ${where}; validate reads only this working tree — the engine checks it after fetching`,
        resources: 0,
      });
      continue;
    }
    if (driver === undefined) {
      apps.push({
        name: app.name,
        status: 'skipped',
        reason: `its target ${app.target} has errors`,
        resources: 0,
      });
      continue;
    }
    const pathStat = app.path === '.' ? rootStat : await stat(join(root, app.path)).catch(() => undefined);
    if (!pathStat?.isDirectory()) {
      const where = parsed.document?.locate(['apps', index, 'path']) ?? { line: 1, column: 1 };
      issues.push({
        file: CONFIG_FILE,
        ...where,
        path: `apps[${index}].path`,
        message: `the directory ${app.path} does not exist in this repo — create it with the app's manifests, or fix the path`,
      });
      apps.push({ name: app.name, status: 'checked', resources: 0 });
      continue;
    }
    const tree = await readWorkingTree(root, app.path, {
      maxBytesPerFile: limits.maxBytes + 1,
      maxFiles: MAX_FILES_PER_APP,
    });
    for (const link of tree.links) {
      issues.push({
        file: link,
        line: 1,
        column: 1,
        path: '',
        message:
          'is a symbolic link; Wheelhouse reads files from Git, where links are not followed — replace it with the file',
      });
    }
    if (tree.truncated) {
      issues.push({
        file: CONFIG_FILE,
        ...(parsed.document?.locate(['apps', index, 'path']) ?? { line: 1, column: 1 }),
        path: `apps[${index}].path`,
        message: `more than ${MAX_FILES_PER_APP} files under ${app.path} — point path at the manifests only`,
      });
    }
    const rendered = renderApp({
      app,
      driver,
      targetOptions: targetOptions ?? {},
      files: tree.files.filter((f) => !tree.links.includes(f.path)),
      kinds: options.kinds,
      ...(options.renderers ? { renderers: options.renderers } : {}),
    });
    issues.push(...rendered.issues);
    apps.push({ name: app.name, status: 'checked', resources: rendered.resources.length });
  }

  const result: RepoValidation = { issues: orderIssues(issues), apps };
  if (parsed.config && result.issues.length === 0) result.config = parsed.config;
  return result;
}

interface AppEntry {
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
function appsToCheck(
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
