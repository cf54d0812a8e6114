import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ControlConfig, KindRegistry, ValidationIssue } from '../core/index.js';
import type { Renderer } from '../render/index.js';
import { orderIssues } from '../render/index.js';
import { CONTROL_YAML_LIMITS, DEFAULT_YAML_LIMITS, type YamlLimits } from '../render/yaml/index.js';
import { formatBytes } from '../util/index.js';
import { appsToCheck } from './apps-to-check.js';
import type { ControlRepo } from './build-config.js';
import { checkApp } from './check-app.js';
import { CONFIG_FILE } from './defaults.js';
import { parseControlConfig } from './parse-config.js';
import type { TargetOptionsCheck } from './target-options.js';

export { CONFIG_FILE } from './defaults.js';

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
  /** The drivers' own checks of `targets.*` options (see parseControlConfig). */
  checkTargetOptions?: TargetOptionsCheck;
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
  const controlLimits = { ...CONTROL_YAML_LIMITS, ...options.limits };
  const top = (message: string): RepoValidation => ({
    issues: [{ file: CONFIG_FILE, line: 1, column: 1, path: '', message }],
    apps: [],
  });

  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory())
    return top(`the directory ${dir} does not exist — give the control repo's directory`);
  const configStat = await stat(join(root, CONFIG_FILE)).catch(() => undefined);
  if (configStat?.isFile() && configStat.size > controlLimits.maxBytes) {
    return top(
      `is ${formatBytes(configStat.size)}, over the ${formatBytes(controlLimits.maxBytes)} limit — move apps into fewer, smaller entries`,
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
    ...(options.checkTargetOptions ? { checkTargetOptions: options.checkTargetOptions } : {}),
    limits: controlLimits,
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
    const ciServers = parsed.config ? Object.keys(parsed.config.ci ?? {}) : undefined;
    const context = { root, rootStat, document: parsed.document, limits, options };
    apps.push(await checkApp(entry, ciServers ? { ...context, ciServers } : context, issues));
  }

  const result: RepoValidation = { issues: orderIssues(issues), apps };
  if (parsed.config && result.issues.length === 0) result.config = parsed.config;
  return result;
}
