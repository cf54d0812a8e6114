import type { SourceFile } from '../../core/index.js';
import type { Renderer, RenderOutput } from '../renderer.js';
import type { YamlPath } from '../yaml/index.js';
import { containerDocuments, objectDocuments, type ServiceContainer } from './compose-documents.js';
import {
  COMPOSE_FILE_NAMES,
  hasBase,
  OVERRIDE_FILE_NAMES,
  overrideOf,
  parseComposeFile,
} from './compose-file.js';
import { servicesToComplete } from './dependency-checks.js';
import { type Dependency, dependencyWaves, readDependsOn } from './depends-on.js';
import { parseEnvFile } from './env-file.js';
import { resolveExtends } from './extends.js';
import { interpolateTree } from './interpolate-tree.js';
import { mergeProject } from './merge.js';
import { NameTable } from './names.js';
import { dirOf, joinPath } from './paths.js';
import { activeServices } from './profiles.js';
import { Reader } from './reader.js';
import { readFileSources } from './secrets-configs.js';
import { type ServiceInput, serviceSpec } from './service.js';
import { readTopLevel } from './top-level.js';

export { COMPOSE_FILE_NAMES } from './compose-file.js';

const TOP_LEVEL_NOTES: Readonly<Record<string, string>> = {
  include:
    '"include" is not supported — put each compose file in its own app, or merge them (compose.override.yaml beside compose.yaml is read)',
};

const TOP_LEVEL_KEYS = ['services', 'networks', 'volumes', 'version', 'name', 'secrets', 'configs'];

/**
 * Compose files -> Container, Network and Volume resources for the docker driver. Every key it
 * does not support is reported by name and position; nothing is silently ignored except `x-`
 * extension fields and the obsolete `version`.
 */
export const composeRenderer: Renderer = {
  name: 'compose',
  claims: (path) =>
    [...COMPOSE_FILE_NAMES, ...OVERRIDE_FILE_NAMES].includes(path.slice(path.lastIndexOf('/') + 1)),
  render: (file, context) => {
    if (!OVERRIDE_FILE_NAMES.includes(file.path.slice(file.path.lastIndexOf('/') + 1)))
      return renderCompose(file, context.files, context.app, context.profiles ?? []);
    // An override file is read with the compose file it applies to.
    if (hasBase(file, context.files)) return { documents: [], issues: [] };
    const message = `is an override file with no compose file beside it — add the ${file.path.includes('docker-compose') ? 'docker-compose.yaml' : 'compose.yaml'} it overrides, or rename it`;
    return { documents: [], issues: [{ file: file.path, line: 1, column: 1, path: '', message }] };
  },
};

function renderCompose(
  file: SourceFile,
  files: readonly SourceFile[],
  app: string,
  profiles: readonly string[],
): RenderOutput {
  const parsed = parseComposeFile(file);
  if (!parsed.doc) return { documents: [], issues: parsed.issues };
  const reader = new Reader(file.path, parsed.doc);
  const base = reader.map([], parsed.doc.value, 'a mapping with services:');
  if (!base) return { documents: [], issues: reader.issues };
  reader.checkKeys([], base, TOP_LEVEL_KEYS, TOP_LEVEL_NOTES);
  let raw = base;
  const override = overrideOf(file, files);
  if (override) {
    const over = parseComposeFile(override);
    if (!over.doc) return { documents: [], issues: [...reader.issues, ...over.issues] };
    reader.layer(override.path, over.doc, over.doc.value);
    const map = reader.map([], over.doc.value, 'a mapping such as services: { web: { ... } }');
    if (!map) return { documents: [], issues: reader.issues };
    reader.checkKeys([], map, TOP_LEVEL_KEYS, TOP_LEVEL_NOTES);
    raw = mergeProject(base, map);
  }
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
  const refs = {
    networks: networks.refs,
    volumes: volumes.refs,
    dir,
    secrets: readFileSources(reader, 'secrets', top.secrets, dir),
    configs: readFileSources(reader, 'configs', top.configs, dir),
  };

  const written = top.services === undefined ? undefined : reader.map(['services'], top.services);
  const services = written && activeServices(reader, resolveExtends(reader, written), profiles);
  if (!services) {
    if (top.services === undefined) reader.issue([], 'has no services: — declare at least one service');
    return { documents: [], issues: reader.issues };
  }
  const { containers, dependencies } = readServices(reader, services, {
    refs,
    env: { dir, files, vars },
  });
  const waves = dependencyWaves(reader, dependencies);
  const mustComplete = servicesToComplete(reader, dependencies, services);

  const documents = [
    ...containerDocuments(reader, containers, services, waves, mustComplete),
    ...objectDocuments(reader, containers, networks, volumes),
  ];
  return { documents, issues: reader.issues };
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

/** Each service's Container spec and its `depends_on`; a name Compose refuses, or a clash, is reported once. */
function readServices(
  reader: Reader,
  services: Record<string, unknown>,
  shared: Pick<ServiceInput, 'refs' | 'env'>,
): { containers: ServiceContainer[]; dependencies: Map<string, Dependency[]> } {
  const containers: ServiceContainer[] = [];
  const dependencies = new Map<string, Dependency[]>();
  const names = new NameTable(reader, 'service');
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
    const resourceName = names.add(name, path);
    if (resourceName === undefined) continue;
    const spec = serviceSpec({ reader, name, resourceName, service, ...shared });
    containers.push({ name, resourceName, spec });
  }
  return { containers, dependencies };
}
