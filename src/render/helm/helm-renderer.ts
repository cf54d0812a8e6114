import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppSpec, HelmSpec, ValidationIssue } from '../../core/index.js';
import { runTool } from '../tools/run-tool.js';
import { toolFailure } from '../tools/tool-failure.js';
import type { ToolRenderer, ToolRenderInput, ToolRenderOutput } from '../tools/tool-renderer.js';
import { helmTemplateArgs, releaseOf } from './helm-args.js';
import { mapHelmHooks } from './hooks.js';

/**
 * Helm: an app with a `helm:` entry renders with `helm template` — the chart at the app's path
 * (dependencies vendored under charts/, or fetched when `fetchDependencies`), or a chart from a
 * repository at a pinned version or range. Values files from the repo, then inline values.
 * Helm's caches live in a directory of their own per render, removed afterwards.
 */
export const helmRenderer: ToolRenderer = {
  name: 'helm',
  claims: (app) => app.helm !== undefined,
  inputPaths: (app) => {
    const helm = app.helm ?? {};
    const dirs = (helm.valueFiles ?? []).map((file) => file.split('/').slice(0, -1).join('/'));
    return [...new Set([...(helm.repository ? [] : [app.path]), ...dirs])];
  },
  async render(input: ToolRenderInput): Promise<ToolRenderOutput> {
    const { app, repoDir } = input;
    const helm = app.helm ?? {};
    const chartFile = helm.repository ? 'wheelhouse.yaml' : `${prefix(app)}Chart.yaml`;
    const missing = missingInputs(app, helm, repoDir);
    if (missing.length > 0) return { issues: missing, warnings: [] };
    const work = await mkdtemp(join(tmpdir(), 'wheelhouse-helm-'));
    try {
      const chartDir = helm.repository ? undefined : await chartDirectory(app, helm, repoDir, work);
      const valueFiles = (helm.valueFiles ?? []).map((file) => join(repoDir, file));
      if (helm.values !== undefined) {
        const inline = join(work, 'inline-values.json');
        await writeFile(inline, JSON.stringify(helm.values));
        valueFiles.push(inline);
      }
      const run = await runTool({
        binary: input.options.binaries.helm ?? 'helm',
        args: helmTemplateArgs({
          app,
          helm,
          targetOptions: input.targetOptions,
          valueFiles,
          ...(chartDir ? { chartDir } : {}),
        }),
        cwd: work,
        timeoutMs: input.options.timeoutMs,
        network: helm.repository !== undefined || helm.fetchDependencies === true,
        env: {
          HELM_CACHE_HOME: join(work, 'cache'),
          HELM_CONFIG_HOME: join(work, 'config'),
          HELM_DATA_HOME: join(work, 'data'),
        },
      });
      if (!run.ok) {
        const failure = toolFailure('helm', chartFile, run, repoDir);
        return {
          issues: [{ ...failure, message: failure.message.split(`${work}/`).join('') }],
          warnings: [],
        };
      }
      const mapped = mapHelmHooks(run.stdout, helm.repository ? app.path : app.path === '.' ? '' : app.path);
      const { namespace } = releaseOf(app, helm, input.targetOptions);
      return { manifests: mapped.manifests, issues: [], warnings: mapped.warnings, namespace };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

function prefix(app: AppSpec): string {
  return app.path === '.' || app.path === '' ? '' : `${app.path}/`;
}

/**
 * The chart to render: the materialized (read-only) tree, or a copy of it when helm is to fetch
 * dependencies into its charts/ directory.
 */
async function chartDirectory(app: AppSpec, helm: HelmSpec, repoDir: string, work: string): Promise<string> {
  const source = join(repoDir, app.path);
  if (!helm.fetchDependencies) return source;
  const copy = join(work, 'chart');
  await cp(source, copy, { recursive: true });
  // The materialized tree is read-only and cp keeps directory modes: helm writes into charts/.
  const entries = await readdir(copy, { recursive: true, withFileTypes: true });
  const dirs = [copy, ...entries.filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name))];
  await Promise.all(dirs.map((dir) => chmod(dir, 0o755)));
  return copy;
}

/** An in-repo chart without Chart.yaml, or a values file that is not there: said before helm runs. */
function missingInputs(app: AppSpec, helm: HelmSpec, repoDir: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (path: string, message: string) =>
    issues.push({ file: 'wheelhouse.yaml', line: 1, column: 1, path: `apps.${app.name}.${path}`, message });
  if (!helm.repository && !existsSync(join(repoDir, app.path, 'Chart.yaml'))) {
    at(
      'path',
      `${app.path} holds no Chart.yaml — point the app's path at the chart directory, or name a chart with helm.repository and helm.chart`,
    );
  }
  (helm.valueFiles ?? []).forEach((file, index) => {
    if (!existsSync(join(repoDir, file)))
      at(
        `helm.valueFiles[${index}]`,
        `values file ${file} is not in the repository at this revision — commit it or fix the path`,
      );
  });
  return issues;
}
