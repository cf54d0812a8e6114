import { errorMessage, type ResourceChange, WheelhouseError } from '../core/index.js';
import { diffResources } from '../diff/index.js';
import { closestMatches } from '../util/index.js';
import type { EngineState } from './engine-state.js';
import type { AppRuntime, RenderedRevision } from './runtime.js';
import { appProblemError } from './status.js';

// Looking apps up for the facade, with errors that name the app and suggest the closest one.

/**
 * What `diff` shows: the changes as the target itself would apply them, when its driver can
 * preview (a Kubernetes server-side dry run), else the engine's own comparison.
 */
export async function previewedChanges(rt: AppRuntime, desired: RenderedRevision): Promise<ResourceChange[]> {
  if (!rt.driver.preview) return rt.changes;
  try {
    const preview = await rt.driver.preview(rt.spec.name, desired.resources);
    return diffResources(preview.desired, preview.live, { digest: desired.digest });
  } catch (err) {
    rt.log.warn({ err: errorMessage(err) }, 'preview failed; showing the comparison with the live cache');
    return rt.changes;
  }
}

/** An app the engine manages: one whose entry has a problem is refused with that problem. */
export function managed(st: EngineState, name: string): AppRuntime {
  const rt = runtime(st, name);
  if (rt.spec.problem) throw appProblemError(rt.spec.name, rt.spec.problem);
  return rt;
}

export function runtime(st: EngineState, name: string): AppRuntime {
  const rt = st.runtimes.get(name);
  if (rt) return rt;
  const [hint] = closestMatches(name, st.runtimes.keys(), { limit: 1 });
  throw new WheelhouseError(
    'NOT_FOUND',
    `no app named ${name}${hint ? `; did you mean ${hint}?` : ''} (apps are declared in wheelhouse.yaml; list them with \`wheelhouse apps\`)`,
    { details: { app: name } },
  );
}
