import type { DesiredResource, HookPhase, LiveResource } from '../../src/core/index.js';
import { resourceKey } from '../../src/core/index.js';

export interface DesiredOptions {
  app?: string;
  target?: string;
  namespace?: string;
  wave?: number;
  hook?: HookPhase;
  annotations?: Record<string, string>;
}

/** A DesiredResource as the renderer would hand it over (app `web`, target `local` by default). */
export function desired(
  kind: string,
  name: string,
  spec: Record<string, unknown> = {},
  options: DesiredOptions = {},
): DesiredResource {
  const app = options.app ?? 'web';
  const target = options.target ?? 'local';
  const namespace = options.namespace ?? app;
  const resource: DesiredResource = {
    apiVersion: 'wheelhouse/v1',
    kind,
    metadata: { name, namespace, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec,
    key: resourceKey(target, kind, namespace, name),
    app,
    target,
    namespace,
    wave: options.wave ?? 0,
  };
  if (options.hook) resource.hook = options.hook;
  return resource;
}

/** The live counterpart of a desired resource (same spec, Healthy), with overrides. */
export function live(resource: DesiredResource, overrides: Partial<LiveResource> = {}): LiveResource {
  return {
    key: resource.key,
    kind: resource.kind,
    name: resource.metadata.name,
    namespace: resource.namespace,
    app: resource.app,
    spec: structuredClone(resource.spec),
    health: { status: 'Healthy' },
    ...overrides,
  };
}
