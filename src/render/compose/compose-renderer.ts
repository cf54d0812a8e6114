import type { Resource, SourceFile, SourceLocation } from '../../core/index.js';
import { DNS_LABEL_HINT, isDnsLabel } from '../../util/index.js';
import type { RenderedDocument, Renderer, RenderOutput } from '../renderer.js';
import { parseYaml, type YamlPath } from '../yaml/index.js';
import { type Dependency, dependencyWaves, readDependsOn } from './depends-on.js';
import { parseEnvFile } from './env-file.js';
import { interpolateTree } from './interpolate-tree.js';
import { dirOf, joinPath } from './paths.js';
import { Reader } from './reader.js';
import { SPEC_SOURCE, serviceSpec } from './service.js';
import { readTopLevel } from './top-level.js';

/**
 * The ordering annotation renderApp reads (`WAVE_ANNOTATION` in render-app.ts; not imported from
 * there because render-app imports the renderer list, which imports this file).
 */
const WAVE_ANNOTATION = 'wheelhouse/wave';
/** Tells the docker driver to return from an apply only once the container ran to completion. */
const READY_ANNOTATION = 'wheelhouse/ready';

/** File names claimed as Compose files (in any directory of an app). */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
] as const;

const TOP_LEVEL_NOTES: Readonly<Record<string, string>> = {
  secrets: `"secrets" is not supported — pass secrets as environment values written as \${VAR}, read from the engine's environment`,
  configs: '"configs" is not supported — bake configuration into the image or use environment values',
  include: '"include" is not supported — put each compose file in its own app, or merge them',
};

/**
 * Compose files -> Container, Network and Volume resources for the docker driver. Every key it
 * does not support is reported by name and position; nothing is silently ignored except `x-`
 * extension fields and the obsolete `version`.
 */
export const composeRenderer: Renderer = {
  name: 'compose',
  claims: (path) => (COMPOSE_FILE_NAMES as readonly string[]).includes(path.slice(path.lastIndexOf('/') + 1)),
  render: (file, context) => renderCompose(file, context.files, context.app),
};

function renderCompose(file: SourceFile, files: readonly SourceFile[], app: string): RenderOutput {
  const yaml = parseYaml({
    text: file.content,
    file: file.path,
    ...(file.size === undefined ? {} : { size: file.size }),
  });
  const doc = yaml.documents[0];
  if (yaml.issues.length > 0) return { documents: [], issues: yaml.issues };
  if (!doc || doc.empty || doc.value === undefined || doc.value === null) {
    const issue = {
      file: file.path,
      line: 1,
      column: 1,
      path: '',
      message: 'is empty — a compose file needs services:',
    };
    return { documents: [], issues: [issue] };
  }
  const reader = new Reader(file.path, doc);
  const raw = reader.map([], doc.value, 'a mapping with services:');
  if (!raw) return { documents: [], issues: reader.issues };
  reader.checkKeys([], raw, ['services', 'networks', 'volumes', 'version', 'name'], TOP_LEVEL_NOTES);
  if (raw.name !== undefined && raw.name !== app) {
    reader.issue(
      ['name'],
      `the project name is the app's name ("${app}") — remove name: or set it to ${app}`,
    );
  }

  const dir = dirOf(file.path);
  const vars = readDotEnv(reader, dir, files);
  const isEnvironmentValue = (path: YamlPath) =>
    path.length >= 4 && path[0] === 'services' && path[2] === 'environment';
  const top = interpolateTree(raw, vars, reader, isEnvironmentValue) as Record<string, unknown>;

  const networks = readTopLevel(reader, 'networks', top.networks);
  const volumes = readTopLevel(reader, 'volumes', top.volumes);
  if (!networks.refs.has('default')) networks.refs.set('default', { name: 'default', external: false });
  const refs = { networks: networks.refs, volumes: volumes.refs };

  const services = top.services === undefined ? undefined : reader.map(['services'], top.services);
  if (!services) {
    if (top.services === undefined) reader.issue([], 'has no services: — declare at least one service');
    return { documents: [], issues: reader.issues };
  }
  const containers: { name: string; spec: Record<string, unknown> }[] = [];
  const dependencies = new Map<string, Dependency[]>();
  for (const [name, value] of Object.entries(services)) {
    const path: YamlPath = ['services', name];
    const service = reader.map(path, value, 'a mapping (the service definition)');
    if (!service) continue;
    dependencies.set(
      name,
      service.depends_on === undefined
        ? []
        : readDependsOn(reader, [...path, 'depends_on'], service.depends_on),
    );
    if (!isDnsLabel(name)) {
      reader.issue(
        path,
        `service name "${name}" cannot name a Container resource — ${DNS_LABEL_HINT}`,
        'key',
      );
      continue;
    }
    const spec = serviceSpec({ reader, name, service, refs, env: { dir, files, vars } });
    containers.push({ name, spec });
  }
  const waves = dependencyWaves(reader, dependencies);
  const mustComplete = new Set<string>();
  for (const deps of dependencies.values()) {
    for (const dep of deps) {
      if (dep.condition === 'service_completed_successfully') mustComplete.add(dep.service);
      if (dep.condition !== 'service_healthy') continue;
      const target = services[dep.service];
      const check =
        target && typeof target === 'object' ? (target as Record<string, unknown>).healthcheck : undefined;
      const disabled =
        check && typeof check === 'object' && (check as Record<string, unknown>).disable === true;
      if (target !== undefined && (check === undefined || disabled)) {
        reader.issue(
          [...dep.path, 'condition'],
          `waits for "${dep.service}" to be healthy, but ${dep.service} has no healthcheck — add one to ${dep.service} or use condition: service_started`,
        );
      }
    }
  }

  const documents: RenderedDocument[] = [];
  const locate =
    (servicePath: YamlPath, service: Record<string, unknown>) => (path: readonly (string | number)[]) => {
      const field = path[0] === 'spec' ? path[1] : undefined;
      const key =
        typeof field === 'string' ? SPEC_SOURCE[field]?.find((k) => service[k] !== undefined) : undefined;
      return key === undefined ? reader.at(servicePath, 'key') : reader.at([...servicePath, key]);
    };
  for (const { name, spec } of containers) {
    const wave = waves.get(name) ?? 0;
    const annotations: Record<string, string> = {};
    if (wave > 0) annotations[WAVE_ANNOTATION] = String(wave);
    if (mustComplete.has(name)) annotations[READY_ANNOTATION] = 'completed';
    const resource: Resource = {
      apiVersion: 'wheelhouse/v1',
      kind: 'Container',
      metadata: Object.keys(annotations).length > 0 ? { name, annotations } : { name },
      spec,
    };
    const servicePath: YamlPath = ['services', name];
    documents.push({
      resource,
      origin: reader.at(servicePath, 'key'),
      locate: locate(servicePath, (services[name] ?? {}) as Record<string, unknown>),
    });
  }
  const usedNetworks = new Set(
    containers.flatMap(({ spec }) =>
      Array.isArray(spec.networks) ? spec.networks.map((n) => (n as { name?: unknown }).name) : [],
    ),
  );
  const ownedNetworks = [...networks.owned];
  if (
    usedNetworks.has('default') &&
    !ownedNetworks.some((n) => n.key === 'default') &&
    !networks.refs.get('default')?.external
  ) {
    ownedNetworks.push({ key: 'default', spec: {}, path: ['services'] });
  }
  for (const { key, spec, path } of ownedNetworks)
    documents.push(objectDocument(reader, 'Network', key, spec, path));
  for (const { key, spec, path } of volumes.owned)
    documents.push(objectDocument(reader, 'Volume', key, spec, path));
  return { documents, issues: reader.issues };
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

/** Variables of the `.env` file beside the compose file (compose's interpolation source). */
function readDotEnv(reader: Reader, dir: string, files: readonly SourceFile[]): Map<string, string> {
  const vars = new Map<string, string>();
  const path = joinPath(dir, '.env');
  const file = files.find((f) => f.path === path);
  if (!file) return vars;
  const parsed = parseEnvFile(file.content.toString('utf8'));
  for (const problem of parsed.problems)
    reader.issueIn(file.path, problem.line, problem.column, '', problem.message);
  for (const entry of parsed.entries) if (entry.value !== undefined) vars.set(entry.key, entry.value);
  return vars;
}
