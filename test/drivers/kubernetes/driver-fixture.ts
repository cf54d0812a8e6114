import {
  type ApplyContext,
  type AppSpec,
  type DesiredResource,
  type Driver,
  silentLogger,
} from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';
import { renderApp } from '../../../src/render/index.js';

/** The kubernetes driver on its own (no engine): a started driver, rendered manifests, a context. */

export async function startKubeDriver(
  kubeconfig: string,
  target: string,
  namespace: string,
): Promise<Driver> {
  const driver = createKubernetesDriver({
    target,
    options: { kubeconfig, context: 'wheelhouse-test', namespace },
    stateDir: '/nonexistent',
    log: silentLogger,
    env: {},
  });
  await driver.start();
  return driver;
}

export const applyContext = (app: string, digest = 'd1'): ApplyContext => ({
  app,
  revision: 'r1',
  digest,
  checkout: async () => '/nonexistent',
  signal: new AbortController().signal,
  progress: () => {},
  log: silentLogger,
});

const appSpec = (name: string, target: string): AppSpec => ({
  name,
  path: `apps/${name}`,
  target,
  environment: target,
  intervalMs: 30_000,
  sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
  source: { repo: '/control', ref: 'main', protected: false },
  sourceIsControlRepo: true,
});

/** Manifests as the engine renders them for a kubernetes target (keys, namespaces), in apply order. */
export function renderManifests(
  app: string,
  target: string,
  namespace: string,
  files: Record<string, string>,
): DesiredResource[] {
  const kinds = createKindRegistry();
  const { resources, issues } = renderApp({
    app: appSpec(app, target),
    driver: 'kubernetes',
    files: Object.entries(files).map(([path, text]) => ({
      path: `apps/${app}/${path}`,
      content: Buffer.from(text),
    })),
    kinds,
    targetOptions: { namespace },
  });
  if (issues.length > 0) throw new Error(`render failed: ${JSON.stringify(issues)}`);
  const order = kinds.foreignFor?.('kubernetes')?.order ?? (() => 0);
  return resources.sort((a, b) => a.wave - b.wave || order(a.kind) - order(b.kind));
}

/** Applies resources in order, as one sync would. */
export async function applyAll(driver: Driver, resources: readonly DesiredResource[]): Promise<void> {
  for (const resource of resources) await driver.apply(resource, applyContext(resource.app));
}

/** A CRD of `example.com/v1` whose objects have `spec.size` (an integer), at the given scope. */
export const exampleCrd = (
  kind: string,
  plural: string,
  scope: 'Cluster' | 'Namespaced',
) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${plural}.example.com }
spec:
  group: example.com
  scope: ${scope}
  names: { plural: ${plural}, singular: ${kind.toLowerCase()}, kind: ${kind} }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
`;
