import type { Resource, SourceLocation } from '../../core/index.js';
import type { RenderedDocument } from '../renderer.js';
import type { YamlPath } from '../yaml/index.js';
import type { Reader } from './reader.js';
import { SPEC_SOURCE } from './service.js';
import type { TopLevel } from './top-level.js';

/**
 * The ordering annotation renderApp reads (`WAVE_ANNOTATION` in render-app.ts; not imported from
 * there because render-app imports the renderer list, which imports this file).
 */
const WAVE_ANNOTATION = 'wheelhouse/wave';
/** Tells the docker driver to return from an apply only once the container ran to completion. */
const READY_ANNOTATION = 'wheelhouse/ready';

/** One rendered service: its Compose name, its resource name and the Container spec built from it. */
export interface ServiceContainer {
  name: string;
  resourceName: string;
  spec: Record<string, unknown>;
}

/**
 * One Container document per service, with its wave and completion annotations; problems found
 * later in a field of the spec point at the compose key it came from.
 */
export function containerDocuments(
  reader: Reader,
  containers: readonly ServiceContainer[],
  services: Readonly<Record<string, unknown>>,
  waves: ReadonlyMap<string, number>,
  mustComplete: ReadonlySet<string>,
): RenderedDocument[] {
  const locate =
    (servicePath: YamlPath, service: Record<string, unknown>) => (path: readonly (string | number)[]) => {
      const field = path[0] === 'spec' ? path[1] : undefined;
      const key =
        typeof field === 'string' ? SPEC_SOURCE[field]?.find((k) => service[k] !== undefined) : undefined;
      return key === undefined ? reader.at(servicePath, 'key') : reader.at([...servicePath, key]);
    };
  return containers.map(({ name, resourceName, spec }) => {
    const wave = waves.get(name) ?? 0;
    const annotations: Record<string, string> = {};
    if (wave > 0) annotations[WAVE_ANNOTATION] = String(wave);
    if (mustComplete.has(name)) annotations[READY_ANNOTATION] = 'completed';
    const resource: Resource = {
      apiVersion: 'wheelhouse/v1',
      kind: 'Container',
      metadata:
        Object.keys(annotations).length > 0 ? { name: resourceName, annotations } : { name: resourceName },
      spec,
    };
    const servicePath: YamlPath = ['services', name];
    return {
      resource,
      origin: reader.at(servicePath, 'key'),
      locate: locate(servicePath, (services[name] ?? {}) as Record<string, unknown>),
    };
  });
}

/**
 * The Network and Volume documents the project owns; the `default` network only when a service
 * uses it and it is neither declared nor external.
 */
export function objectDocuments(
  reader: Reader,
  containers: readonly ServiceContainer[],
  networks: TopLevel,
  volumes: TopLevel,
): RenderedDocument[] {
  const usedNetworks = new Set(
    containers.flatMap(({ spec }) =>
      Array.isArray(spec.networks) ? spec.networks.map((n) => (n as { name?: unknown }).name) : [],
    ),
  );
  const ownedNetworks = [...networks.owned];
  if (
    usedNetworks.has('default') &&
    !ownedNetworks.some((n) => n.name === 'default') &&
    !networks.refs.get('default')?.external
  ) {
    ownedNetworks.push({ key: 'default', name: 'default', spec: {}, path: ['services'] });
  }
  return [
    ...ownedNetworks.map(({ name, spec, path }) => objectDocument(reader, 'Network', name, spec, path)),
    ...volumes.owned.map(({ name, spec, path }) => objectDocument(reader, 'Volume', name, spec, path)),
  ];
}

function objectDocument(
  reader: Reader,
  kind: 'Network' | 'Volume',
  name: string,
  spec: Record<string, unknown>,
  path: YamlPath,
): RenderedDocument {
  const origin: SourceLocation = reader.at(path, 'key');
  return {
    resource: { apiVersion: 'wheelhouse/v1', kind, metadata: { name }, spec },
    origin,
    locate: (fieldPath) => {
      const field = fieldPath[0] === 'spec' ? fieldPath[1] : undefined;
      const key = field === 'options' ? 'driver_opts' : field === 'ipv6' ? 'enable_ipv6' : field;
      return typeof key === 'string' ? reader.at([...path, key]) : origin;
    },
  };
}
