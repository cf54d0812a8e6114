import type { ControlPlane } from '../../test/support/kube/control-plane.js';

/** Where the Flux side keeps its objects, and where each side applies the apps' ConfigMaps. */
export const FLUX_NAMESPACE = 'flux-system';

/** One GitRepository for the monorepo; intervals long, so only a requested reconcile runs. */
export function gitRepository(url: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: mono, namespace: ${FLUX_NAMESPACE} }
spec:
  interval: 60m
  url: ${url}
  ref: { branch: main }
`;
}

/** One Kustomization per app path, pruning, into `namespace`. */
export function kustomization(app: string, namespace: string): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${app}, namespace: ${FLUX_NAMESPACE} }
spec:
  interval: 60m
  path: ./apps/${app}
  prune: true
  sourceRef: { kind: GitRepository, name: mono }
  targetNamespace: ${namespace}
`;
}

/** Each Kustomization's Ready status and the reconcile request it last handled. */
export async function kustomizationStates(
  plane: ControlPlane,
): Promise<{ name: string; ready: string; handled: string; message: string }[]> {
  const out = await plane.kubectl([
    'get',
    'kustomizations.kustomize.toolkit.fluxcd.io',
    '-n',
    FLUX_NAMESPACE,
    '-o',
    'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.conditions[?(@.type=="Ready")].status}{"\\t"}{.status.lastHandledReconcileAt}{"\\t"}{.status.conditions[?(@.type=="Ready")].message}{"\\n"}{end}',
  ]);
  if (out.code !== 0) throw new Error(`listing Kustomizations failed: ${out.stderr.trim()}`);
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', ready = '', handled = '', message = ''] = line.split('\t');
      return { name, ready, handled, message };
    });
}

/**
 * Polls until `done` holds for the Kustomizations (bounded); returns when it did (performance.now()).
 * `progress` hears how many are Ready about once a minute, so a long wait shows where it is.
 */
export async function waitForKustomizations(
  plane: ControlPlane,
  what: string,
  done: (states: Awaited<ReturnType<typeof kustomizationStates>>) => boolean,
  timeoutMs: number,
  progress?: (message: string) => void,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let nextReport = Date.now() + 60_000;
  for (;;) {
    const states = await kustomizationStates(plane);
    if (done(states)) return performance.now();
    if (progress && Date.now() >= nextReport) {
      nextReport += 60_000;
      const ready = states.filter((s) => s.ready === 'True').length;
      progress(`waiting for ${what}: ${ready} of ${states.length} Ready`);
    }
    if (Date.now() > deadline) {
      const stuck = states.find((s) => s.ready !== 'True');
      throw new Error(
        `Flux: ${what} not reached within ${timeoutMs} ms${stuck ? ` (e.g. ${stuck.message})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
