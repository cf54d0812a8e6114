import { formatIssue, WheelhouseError } from '../core/index.js';
import { renderApp } from '../render/index.js';
import type { EngineContext } from './context.js';
import type { AppRuntime, Declared, RenderedRevision } from './runtime.js';

/** Digest used for an app path that does not exist at a revision (renders to nothing). */
export const ABSENT_DIGEST = 'absent';

/** The tree id of the app's path at a revision (one git call; the scheduler batches many). */
export async function declaredAt(ctx: EngineContext, rt: AppRuntime, revision: string): Promise<Declared> {
  const ids = await ctx.source.treeIds(rt.repo, revision, [rt.spec.path]);
  return { revision, digest: ids.get(rt.spec.path) ?? null };
}

/**
 * The desired state at a declared revision, rendered once per (app, target, tree id). A render
 * with any issue fails as a whole: nothing is applied from a half-valid set of manifests.
 */
export async function renderDeclared(
  ctx: EngineContext,
  rt: AppRuntime,
  declared: Declared,
): Promise<RenderedRevision> {
  const digest = declared.digest ?? ABSENT_DIGEST;
  const cached = ctx.renders.get(rt.spec.name, rt.spec.target, digest);
  if (cached) return { revision: declared.revision, digest, resources: cached };

  const files = declared.digest ? await ctx.source.readFiles(rt.repo, declared.revision, rt.spec.path) : [];
  ctx.renders.countRender();
  const { resources, issues } = renderApp({ app: rt.spec, driver: rt.driver.name, files, kinds: ctx.kinds });
  if (issues.length > 0) {
    rt.renderError = { revision: declared.revision, digest, issues };
    const shown = issues.slice(0, 20).map(formatIssue);
    if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more`);
    throw new WheelhouseError(
      'RENDER_FAILED',
      `app ${rt.spec.name}: manifests at ${declared.revision.slice(0, 12)} do not render (${issues.length} problem${issues.length === 1 ? '' : 's'}); it keeps running its last good state. Fix and commit:\n${shown.join('\n')}`,
      { details: { app: rt.spec.name, issues } },
    );
  }
  delete rt.renderError;
  ctx.renders.set(rt.spec.name, rt.spec.target, digest, resources);
  return { revision: declared.revision, digest, resources };
}
