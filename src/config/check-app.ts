import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ValidationIssue } from '../core/index.js';
import { renderApp, renderWithTool, toolFor, toolOptionsFromEnv } from '../render/index.js';
import type { YamlDocument, YamlLimits } from '../render/yaml/index.js';
import type { AppEntry } from './apps-to-check.js';
import { CONFIG_FILE } from './defaults.js';
import type { AppValidation, ValidateRepoOptions } from './repo.js';
import { readWorkingTree } from './working-tree.js';

/** Most files read below one app's path. */
const MAX_FILES_PER_APP = 10_000;

/** What checking one app needs from the repo check. */
export interface CheckAppContext {
  /** The control repo's directory, resolved, and what `stat` said of it. */
  root: string;
  rootStat: Stats;
  /** wheelhouse.yaml as parsed (to point problems at an app's entry). */
  document: YamlDocument | undefined;
  limits: YamlLimits;
  options: ValidateRepoOptions;
  /** The servers declared under `ci:` (a CIJob's `ci` must name one); absent: not checked. */
  ciServers?: readonly string[];
}

/**
 * One app of the control repo: skipped (with why) when its entry, target or source keeps it from
 * being checked here; else its manifests read from the working tree and rendered. Problems are
 * appended to `issues`.
 */
export async function checkApp(
  entry: AppEntry,
  ctx: CheckAppContext,
  issues: ValidationIssue[],
): Promise<AppValidation> {
  const { root, rootStat, limits, options } = ctx;
  const { app, index, driver, targetOptions } = entry;
  if (!app) {
    return {
      name: entry.name,
      status: 'skipped',
      reason: 'its entry in wheelhouse.yaml has errors',
      resources: 0,
    };
  }
  if (app.problem) {
    return {
      name: app.name,
      status: 'skipped',
      reason: `its ${app.problem.path} has errors`,
      resources: 0,
    };
  }
  if (!app.sourceIsControlRepo) {
    const where =
      app.source.repo === root
        ? `this repo at ref ${app.source.ref}`
        : `${app.source.repo} (ref ${app.source.ref})`;
    return {
      name: app.name,
      status: 'skipped',
      reason: `its source is ${where}; validate reads only this working tree — the engine checks it after fetching`,
      resources: 0,
    };
  }
  if (driver === undefined) {
    return {
      name: app.name,
      status: 'skipped',
      reason: `its target ${app.target} has errors`,
      resources: 0,
    };
  }
  const pathStat = app.path === '.' ? rootStat : await stat(join(root, app.path)).catch(() => undefined);
  if (!pathStat?.isDirectory()) {
    const where = ctx.document?.locate(['apps', index, 'path']) ?? { line: 1, column: 1 };
    issues.push({
      file: CONFIG_FILE,
      ...where,
      path: `apps[${index}].path`,
      message: `the directory ${app.path} does not exist in this repo — create it with the app's manifests, or fix the path`,
    });
    return { name: app.name, status: 'checked', resources: 0 };
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
      ...(ctx.document?.locate(['apps', index, 'path']) ?? { line: 1, column: 1 }),
      path: `apps[${index}].path`,
      message: `more than ${MAX_FILES_PER_APP} files under ${app.path} — point path at the manifests only`,
    });
  }
  const own = tree.files.filter((f) => !tree.links.includes(f.path));
  const tool = toolFor(app, own);
  const toolRendered = tool
    ? await renderWithTool(tool, {
        app,
        files: own,
        repoDir: root,
        targetOptions: targetOptions ?? {},
        options: toolOptionsFromEnv(),
      })
    : undefined;
  issues.push(...(toolRendered?.issues ?? []));
  const rendered = renderApp({
    app,
    driver,
    targetOptions: toolRendered?.targetOptions ?? targetOptions ?? {},
    files: toolRendered?.files ?? own,
    kinds: options.kinds,
    ...(options.renderers ? { renderers: options.renderers } : {}),
    ...(ctx.ciServers ? { ciServers: ctx.ciServers } : {}),
  });
  issues.push(...rendered.issues);
  return { name: app.name, status: 'checked', resources: rendered.resources.length };
}
