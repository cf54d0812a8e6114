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
  const servers = Object.values(ctx.config()?.ci ?? {}).filter(
    (spec) => spec.kind === 'github-actions' && spec.repo.toLowerCase() === event.repo.toLowerCase(),
  );
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
