import type { CiServerSpec } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import type { HookEvent } from './provider.js';

/**
 * A verified CI completion delivery -> one `ci.finished` event per app tied to the CI server it
 * came from (`ci.<name>.apps` in wheelhouse.yaml), which the notifier posts to those apps'
 * routes. Returns the apps told.
 */
export function announceCiCompletion(
  ctx: ServerContext,
  event: Extract<HookEvent, { kind: 'ci' }>,
): string[] {
  const servers = Object.values(ctx.config()?.ci ?? {}).filter((spec) => sentBy(spec, event.origin));
  const told: string[] = [];
  for (const spec of servers) {
    for (const app of spec.apps ?? []) {
      ctx.engine.events.publish({
        type: 'ci.finished',
        app,
        ci: spec.name,
        job: event.job,
        run: event.run,
        result: event.result,
        ...(event.url ? { url: event.url } : {}),
      });
      told.push(app);
    }
  }
  return told;
}

/** The server a run came from: the GitHub repository, or the Jenkins controller its build lives on. */
function sentBy(spec: CiServerSpec, origin: Extract<HookEvent, { kind: 'ci' }>['origin']): boolean {
  if (origin.kind === 'github-actions') {
    return spec.kind === 'github-actions' && spec.repo.toLowerCase() === origin.repo.toLowerCase();
  }
  if (spec.kind !== 'jenkins') return false;
  const base = spec.url.endsWith('/') ? spec.url : `${spec.url}/`;
  return origin.buildUrl.toLowerCase().startsWith(base.toLowerCase());
}
