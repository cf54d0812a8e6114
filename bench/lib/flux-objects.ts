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
): Promise<{ ready: string; handled: string; message: string }[]> {
  const out = await plane.kubectl([
    'get',
    'kustomizations.kustomize.toolkit.fluxcd.io',
    '-n',
    FLUX_NAMESPACE,
    '-o',
    'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\t"}{.status.lastHandledReconcileAt}{"\\t"}{.status.conditions[?(@.type=="Ready")].message}{"\\n"}{end}',
  ]);
  if (out.code !== 0) throw new Error(`listing Kustomizations failed: ${out.stderr.trim()}`);
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ready = '', handled = '', message = ''] = line.split('\t');
      return { ready, handled, message };
    });
}

/** Polls until `done` holds for the Kustomizations (bounded); returns when it did (performance.now()). */
export async function waitForKustomizations(
  plane: ControlPlane,
  what: string,
  done: (states: Awaited<ReturnType<typeof kustomizationStates>>) => boolean,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await kustomizationStates(plane);
    if (done(states)) return performance.now();
    if (Date.now() > deadline) {
      const stuck = states.find((s) => s.ready !== 'True');
      throw new Error(
        `Flux: ${what} not reached within ${timeoutMs} ms${stuck ? ` (e.g. ${stuck.message})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
