import {
  type DesiredResource,
  errorMessage,
  type Preview,
  type PreviewApp,
  type PreviewReport,
  type PreviewRequest,
  type RepoRef,
  WheelhouseError,
} from '../core/index.js';
import { diffResources, formatDiff, redactChanges } from '../diff/index.js';
import { normalizeRepoUrl } from '../source/git/index.js';
import type { EngineContext } from './context.js';
import { declaredAt, renderAt, withSourceTreesAt } from './desired.js';
import type { EngineState } from './engine-state.js';
import type { AppRuntime } from './runtime.js';

/**
 * What a pull request's head would do: fetch its head ref into the repo's mirror, and for every
 * app following that repo whose declared trees differ at the head from what runs now, render the
 * head and diff it against the live state. Nothing the engine converges to changes: the render is
 * not cached, no app state is written, and values the redactor knows are masked in every section.
 */
export async function previewHead(
  ctx: EngineContext,
  st: EngineState,
  request: PreviewRequest,
): Promise<PreviewReport> {
  const group = st.groups.get(normalizeRepoUrl(request.repo));
  if (!group || group.apps.size === 0) {
    throw new WheelhouseError(
      'NOT_FOUND',
      `no app follows ${request.repo}, so a pull request there changes nothing Wheelhouse runs; check the repo URL of the webhook or of the apps in wheelhouse.yaml`,
      { details: { repo: request.repo } },
    );
  }
  const apps = [...group.apps].sort((a, b) => a.spec.name.localeCompare(b.spec.name));
  const repo: RepoRef = (apps[0] as AppRuntime).repo;
  if (!ctx.source.fetchRef) {
    throw new WheelhouseError('UNAVAILABLE', 'this source provider cannot fetch pull request heads');
  }
  const revision = await ctx.source.fetchRef(repo, request.ref);
  // Bitbucket Cloud announces 12-character hashes: a prefix of the fetched commit is the same one.
  if (request.revision && !revision.startsWith(request.revision)) {
    throw new WheelhouseError(
      'CONFLICT',
      `${request.ref} of ${request.repo} points at ${revision}, not at ${request.revision} the forge announced; a newer push is on its way and will be previewed when its event arrives`,
      { details: { repo: request.repo, ref: request.ref } },
    );
  }
  const sections: PreviewApp[] = [];
  for (const rt of apps) {
    if (rt.spec.problem) continue;
    const section = await previewApp(ctx, st, rt, revision);
    if (section) sections.push(section);
  }
  return {
    repo: request.repo,
    ref: request.ref,
    revision,
    apps: sections,
    failed: sections.some((s) => s.outcome === 'failed' || (s.refused?.length ?? 0) > 0),
  };
}

/** One app at the head; undefined when the pull request does not touch what it declares. */
async function previewApp(
  ctx: EngineContext,
  st: EngineState,
  rt: AppRuntime,
  revision: string,
): Promise<PreviewApp | undefined> {
  const declared = await declaredAt(ctx, rt, revision);
  if (rt.declared && declared.digest === rt.declared.digest) return undefined;
  const base = rt.desired ? { base: rt.desired.revision } : {};
  const rendered = await renderAt(ctx, rt, declared);
  if (rendered.issues.length > 0) {
    const issues = rendered.issues.map((i) => ({ ...i, message: st.redactor(i.message) }));
    return { app: rt.spec.name, outcome: 'failed', ...base, changes: [], text: '', issues };
  }
  const resources = await withSourceTreesAt(ctx, rt, revision, rendered.resources);
  const { desired, live, refused } = await dryRun(rt, resources);
  const changes = diffResources(desired, live, { digest: declared.digest ?? '' }).filter(
    (c) => c.action !== 'unchanged',
  );
  return {
    app: rt.spec.name,
    outcome: changes.length === 0 ? 'unchanged' : 'changed',
    ...base,
    changes: redactChanges(changes, { redact: st.redactor }),
    text: formatDiff(changes, { redact: st.redactor }),
    issues: [],
    ...(refused?.length
      ? { refused: refused.map((r) => ({ key: r.key, message: st.redactor(r.message) })) }
      : {}),
  };
}

/**
 * The target's own view when its driver previews (Kubernetes: a server-side dry run, so admission
 * policies speak); otherwise the rendered resources against the live cache. A dry run that fails
 * as a whole falls back to the live cache, as `diff` does.
 */
async function dryRun(rt: AppRuntime, resources: DesiredResource[]): Promise<Preview> {
  if (!rt.driver.preview) return { desired: resources, live: rt.live };
  try {
    return await rt.driver.preview(rt.spec.name, resources);
  } catch (err) {
    rt.log.warn({ err: errorMessage(err) }, 'preview dry run failed; comparing with the live cache');
    return { desired: resources, live: rt.live };
  }
}
