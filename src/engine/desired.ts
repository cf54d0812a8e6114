import { createHash } from 'node:crypto';
import {
  type DesiredResource,
  formatIssue,
  SOURCE_TREES_FIELD,
  type ValidationIssue,
  WheelhouseError,
} from '../core/index.js';
import { decryptSopsFiles, renderApp, sopsOptionsForApp, sopsOptionsFromEnv } from '../render/index.js';
import { shortSha } from '../util/index.js';
import type { EngineContext } from './context.js';
import type { CachedRender } from './render-cache.js';
import type { AppRuntime, Declared, RenderedRevision } from './runtime.js';
import { filesToRender, knownInputs, renderKey } from './tool-render.js';

/** Digest used for an app path that does not exist at a revision (renders to nothing). */
export const ABSENT_DIGEST = 'absent';

/** The paths whose tree ids make up an app's digest: its path, then where its resources run from. */
export function digestPaths(rt: AppRuntime): string[] {
  return [rt.spec.path, ...rt.sourcePaths];
}

/** What an app declares at a revision, from the tree ids of its `digestPaths` there. */
export function declaredFrom(
  rt: AppRuntime,
  revision: string,
  ids: ReadonlyMap<string, string | null>,
): Declared {
  const tree = ids.get(rt.spec.path) ?? null;
  return { revision, tree, digest: combinedDigest(tree, rt.sourcePaths, ids) };
}

/**
 * The path's tree id alone when nothing runs from elsewhere (so apps of manifests only keep
 * plain tree ids), else the tree id with a short hash of the source trees.
 */
function combinedDigest(
  tree: string | null,
  sourcePaths: readonly string[],
  ids: ReadonlyMap<string, string | null>,
): string | null {
  if (tree === null || sourcePaths.length === 0) return tree;
  const sources = sourcePaths.map((p) => `${p}=${ids.get(p) ?? '-'}`).join('\n');
  return `${tree}+${createHash('sha256').update(sources).digest('hex').slice(0, 16)}`;
}

/** The tree ids of the app's path (and sources) at a revision (one git call; the scheduler batches many). */
export async function declaredAt(ctx: EngineContext, rt: AppRuntime, revision: string): Promise<Declared> {
  return declaredFrom(rt, revision, await ctx.source.treeIds(rt.repo, revision, digestPaths(rt)));
}

/**
 * The desired state at a declared revision. Manifests are rendered once per (app, target, tree
 * id); a render with any issue fails as a whole: nothing is applied from a half-valid set of
 * manifests. Resources that run from directories of the repo (a Process's `cwd`) get those
 * directories' tree ids in their spec, so new code there is a new desired state.
 */
export async function renderDeclared(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
): Promise<RenderedRevision> {
  const tree = declared.tree ?? ABSENT_DIGEST;
  const renderedFor = renderTarget(rt);
  const inputs = knownInputs(rt);
  const key = (await renderKey(ctx, rt, declared, inputs)) || tree;
  let rendered = ctx.renders.get(rt.spec.name, renderedFor, key);
  if (!rendered) {
    rendered = await renderManifests(ctx, rt, declared);
    ctx.renders.set(rt.spec.name, renderedFor, key, rendered);
    // A kustomization found at this render: keep it under the key the next refresh computes too.
    const learned = knownInputs(rt);
    if (learned.join('\n') !== inputs.join('\n')) {
      ctx.renders.set(
        rt.spec.name,
        renderedFor,
        (await renderKey(ctx, rt, declared, learned)) || tree,
        rendered,
      );
    }
  }
  delete rt.renderError;
  if (rendered.warnings.length > 0) rt.renderWarnings = rendered.warnings;
  else delete rt.renderWarnings;
  const resources = rendered.resources;
  const sourcePaths = [...new Set([...sourcePathsOf(ctx, rt, resources), ...knownInputs(rt)])].sort();
  rt.sourcePaths = sourcePaths;
  if (sourcePaths.length === 0 || declared.tree === null) {
    return { revision: declared.revision, digest: tree, resources };
  }
  const ids = await ctx.source.treeIds(rt.repo, declared.revision, sourcePaths);
  return {
    revision: declared.revision,
    digest: combinedDigest(declared.tree, sourcePaths, ids) ?? tree,
    resources: resources.map((r) => withSourceTrees(ctx, rt, r, ids)),
  };
}

/**
 * What besides the tree a render depends on: the target, and for platform manifests the app's
 * ignoreDifferences and the target's options (its default namespace), and a kustomize/helm app's
 * entry (values, chart version), and a compose app's profiles, so changing them in
 * wheelhouse.yaml renders again instead of serving a cached render.
 */
export function renderTarget(rt: AppRuntime): string {
  const { ignoreDifferences, kustomize, helm, compose, sops } = rt.spec;
  if (
    ignoreDifferences === undefined &&
    sops === undefined &&
    compose === undefined &&
    kustomize === undefined &&
    helm === undefined &&
    Object.keys(rt.targetOptions).length === 0
  )
    return rt.spec.target;
  const tools = kustomize === undefined && helm === undefined ? [] : [kustomize ?? null, helm ?? null];
  return `${rt.spec.target}\u0000${JSON.stringify([ignoreDifferences ?? null, rt.targetOptions, ...tools, ...(compose ? [compose] : []), ...(sops ? [sops] : [])])}`;
}

/** An app's manifests at a declared revision, rendered, with every problem found (nothing thrown, no state kept). */
export async function renderAt(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
): Promise<CachedRender & { issues: ValidationIssue[] }> {
  const stored = declared.tree
    ? await ctx.source.readFiles(rt.repo, declared.revision, rt.spec.path, declared.tree)
    : [];
  ctx.renders.countRender();
  // SOPS files are decrypted in memory; their clear values are masked everywhere from now on.
  const sops = await decryptSopsFiles(stored, sopsOptionsForApp(rt.spec, sopsOptionsFromEnv()));
  ctx.addSecrets(sops.secrets);
  const read = sops.files;
  const {
    files,
    issues: renderToolIssues,
    warnings,
    targetOptions,
  } = await filesToRender(ctx, rt, declared, read);
  const toolIssues = [...sops.issues, ...renderToolIssues];
  const rendered = renderApp({
    app: rt.spec,
    driver: rt.driver.name,
    files,
    kinds: ctx.kinds,
    targetOptions,
    ciServers: ctx.ciServers(),
    parsed: await ctx.yaml.parseManifests(files),
  });
  return { resources: rendered.resources, warnings, issues: [...toolIssues, ...rendered.issues] };
}

async function renderManifests(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
): Promise<CachedRender> {
  const { resources, warnings, issues } = await renderAt(ctx, rt, declared);
  if (issues.length > 0) {
    const shown = issues.slice(0, 20).map(formatIssue);
    if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more`);
    const message = `app ${rt.spec.name}: manifests at ${shortSha(declared.revision)} do not render (${issues.length} problem${issues.length === 1 ? '' : 's'}); it keeps running its last good state. Fix and commit:\n${shown.join('\n')}`;
    rt.renderError = {
      revision: declared.revision,
      digest: declared.digest ?? ABSENT_DIGEST,
      message,
      issues,
    };
    throw new WheelhouseError('RENDER_FAILED', message, { details: { app: rt.spec.name, issues } });
  }
  return { resources, warnings };
}

/** Resources as the engine compares them: those that run from repo directories carry their tree ids. */
export async function withSourceTreesAt(
  ctx: EngineContext,
  rt: AppRuntime,
  revision: string,
  resources: readonly DesiredResource[],
): Promise<DesiredResource[]> {
  const paths = sourcePathsOf(ctx, rt, resources);
  if (paths.length === 0) return [...resources];
  const ids = await ctx.source.treeIds(rt.repo, revision, paths);
  return resources.map((r) => withSourceTrees(ctx, rt, r, ids));
}

function kindOf(ctx: EngineContext, rt: AppRuntime, kind: string) {
  return ctx.kinds.kindsFor(rt.driver.name).find((k) => k.kind === kind);
}

/** Sorted, without repeats: the directories the app's resources run from. */
function sourcePathsOf(ctx: EngineContext, rt: AppRuntime, resources: readonly DesiredResource[]): string[] {
  const paths = new Set<string>();
  for (const r of resources)
    for (const p of kindOf(ctx, rt, r.kind)?.sourcePaths?.(r.spec) ?? []) paths.add(p);
  return [...paths].sort();
}

function withSourceTrees(
  ctx: EngineContext,
  rt: AppRuntime,
  resource: DesiredResource,
  ids: ReadonlyMap<string, string | null>,
): DesiredResource {
  const paths = kindOf(ctx, rt, resource.kind)?.sourcePaths?.(resource.spec) ?? [];
  if (paths.length === 0) return resource;
  const trees = Object.fromEntries(paths.map((p) => [p, ids.get(p) ?? 'missing']));
  return { ...resource, spec: { ...resource.spec, [SOURCE_TREES_FIELD]: trees } };
}
