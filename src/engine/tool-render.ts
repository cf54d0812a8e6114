import { createHash } from 'node:crypto';
import type { SourceFile, ValidationIssue } from '../core/index.js';
import {
  renderWithTool,
  sopsOptionsForApp,
  sopsOptionsFromEnv,
  toolFor,
  toolOptionsFromEnv,
  withClearTree,
} from '../render/index.js';
import type { EngineContext } from './context.js';
import type { AppRuntime, Declared } from './runtime.js';

/**
 * Kustomize and helm apps: the tool runs over the repo tree at the revision, and its output
 * replaces the app's files for `renderApp`. A tool render reads beyond the app's path (bases,
 * values files), so its cache key adds the tree ids of those inputs: a no-op refresh finds the
 * render cached and runs no tool; a commit to a base renders again.
 */
export function knownInputs(rt: AppRuntime): string[] {
  return rt.renderInputs ?? toolFor(rt.spec, [])?.inputPaths(rt.spec) ?? [];
}

/** The render cache key: the path's tree, plus its inputs' trees for a tool render. */
export async function renderKey(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
  inputs: readonly string[],
): Promise<string> {
  const tree = declared.tree;
  if (tree === null || inputs.length === 0) return tree ?? '';
  const ids = await ctx.source.treeIds(rt.repo, declared.revision, inputs);
  const joined = inputs.map((p) => `${p}=${ids.get(p) ?? '-'}`).join('\n');
  return `${tree}+in:${createHash('sha256').update(joined).digest('hex').slice(0, 16)}`;
}

/**
 * The files `renderApp` reads: the app's own, or the claiming tool's output. Tool problems come
 * back as issues (the render fails as a whole); warnings (a helm hook left out) are logged for
 * the app and kept with the render, so its status shows them.
 */
export async function filesToRender(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
  files: SourceFile[],
): Promise<{
  files: SourceFile[];
  issues: ValidationIssue[];
  warnings: ValidationIssue[];
  targetOptions: Record<string, unknown>;
}> {
  const tool = toolFor(rt.spec, files);
  if (!tool || declared.tree === null) {
    delete rt.renderInputs;
    return { files, issues: [], warnings: [], targetOptions: rt.targetOptions };
  }
  rt.renderInputs = tool.inputPaths(rt.spec);
  const repoDir = await ctx.source.materialize(rt.repo, declared.revision, '');
  // SOPS files the tool reads (values files, secretGenerator files, Secrets) are given to it in
  // clear, in memory-backed storage that is removed as soon as it is done.
  const inputs = [rt.spec.path, ...rt.renderInputs];
  const sops = sopsOptionsForApp(rt.spec, sopsOptionsFromEnv());
  const clear = await withClearTree(repoDir, inputs, sops, (dir) =>
    renderWithTool(tool, {
      app: rt.spec,
      files,
      repoDir: dir,
      targetOptions: rt.targetOptions,
      options: toolOptionsFromEnv(),
    }),
  );
  ctx.addSecrets(clear.secrets);
  const rendered = clear.result ?? {
    files: [],
    issues: clear.issues,
    warnings: [],
    targetOptions: rt.targetOptions,
  };
  for (const warning of rendered.warnings)
    rt.log.warn({ file: warning.file, tool: tool.name }, `render: ${warning.message}`);
  return {
    files: rendered.files,
    issues: rendered.issues,
    warnings: rendered.warnings,
    targetOptions: rendered.targetOptions,
  };
}
