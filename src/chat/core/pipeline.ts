import { compose, type Middleware } from './compose.js';
import type { ChatRequest } from './context.js';
import type { ChatDeps } from './deps.js';
import { acknowledge } from './steps/acknowledge.js';
import { approve } from './steps/approve.js';
import { audit } from './steps/audit.js';
import { authorize } from './steps/authorize.js';
import { boundary } from './steps/boundary.js';
import { dedupe } from './steps/dedupe.js';
import { execute } from './steps/execute.js';
import { normalize } from './steps/normalize.js';
import { parse } from './steps/parse.js';
import { resolveActor } from './steps/resolve-actor.js';

/**
 * The one chain every adapter feeds: verify (drop retried deliveries) → normalize → resolve actor
 * → parse → acknowledge → authorize → approve → execute → reply (the boundary sends the final
 * reply; audit wraps everything after the actor is known). `extra` middlewares run right after
 * normalize (an adapter's own mention handling, rate limits).
 */
export function buildPipeline(
  deps: ChatDeps,
  extra: readonly Middleware<ChatRequest>[] = [],
): (ctx: ChatRequest) => Promise<void> {
  return compose<ChatRequest>([
    boundary(deps),
    dedupe(deps),
    normalize(deps),
    ...extra,
    resolveActor(deps),
    audit(deps),
    parse(deps),
    acknowledge(deps),
    authorize(deps),
    approve(deps),
    execute(deps),
  ]);
}
