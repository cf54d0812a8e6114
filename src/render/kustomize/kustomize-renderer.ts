import { join } from 'node:path';
import type { AppSpec, SourceFile } from '../../core/index.js';
import { KUSTOMIZATION_FILES } from '../../util/index.js';
import { runTool } from '../tools/run-tool.js';
import { toolFailure } from '../tools/tool-failure.js';
import type { ToolRenderer, ToolRenderInput, ToolRenderOutput } from '../tools/tool-renderer.js';
import { checkKustomizationRefs } from './kustomization-refs.js';

/**
 * Kustomize: an app whose path holds a kustomization (an overlay such as apps/web/overlays/prod,
 * or a base) renders with `kustomize build`. Bases must be in the repo below `kustomize.root`
 * (default: the whole repo); remote bases only when the app allows them, and then with network.
 */
export const kustomizeRenderer: ToolRenderer = {
  name: 'kustomize',
  claims: (app, files) => app.kustomize !== undefined || kustomizationIn(app, files) !== undefined,
  inputPaths: (app) => [app.kustomize?.root ?? ''],
  async render(input: ToolRenderInput): Promise<ToolRenderOutput> {
    const { app, repoDir, options } = input;
    const file = kustomizationIn(app, input.files) ?? `${prefix(app)}kustomization.yaml`;
    const allowRemote = app.kustomize?.allowRemoteBases === true;
    const issues = await checkKustomizationRefs(repoDir, app.path, {
      root: app.kustomize?.root ?? '',
      allowRemote,
    });
    if (issues.length > 0) return { issues, warnings: [] };
    const run = await runTool({
      binary: options.binaries.kustomize ?? 'kustomize',
      args: ['build', join(repoDir, app.path)],
      cwd: repoDir,
      timeoutMs: options.timeoutMs,
      network: allowRemote,
    });
    if (!run.ok) return { issues: [toolFailure('kustomize', file, run, repoDir)], warnings: [] };
    return { manifests: run.stdout, issues: [], warnings: [] };
  },
};

function prefix(app: AppSpec): string {
  return app.path === '.' || app.path === '' ? '' : `${app.path}/`;
}

function kustomizationIn(app: AppSpec, files: readonly SourceFile[]): string | undefined {
  const names = new Set(KUSTOMIZATION_FILES.map((name) => `${prefix(app)}${name}`));
  return files.find((f) => names.has(f.path))?.path;
}
