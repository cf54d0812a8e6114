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
import { resolveExtends } from './extends.js';
import { extendsFileLoader } from './extends-file.js';
import { readIncludes } from './include.js';
import { type MergedProject, mergeIncluded, type ServiceOrigin } from './include-merge.js';
import { interpolateTree } from './interpolate-tree.js';
import { mergeProject } from './merge.js';
import { NameTable } from './names.js';
import { dirOf, joinPath } from './paths.js';
import { activeServices } from './profiles.js';
import { addVarsFrom, isEnvironmentValue } from './project-vars.js';
import { Reader } from './reader.js';
import { composeReferences } from './referenced-files.js';
import { type FileSource, readFileSources } from './secrets-configs.js';
import { type ServiceInput, serviceSpec } from './service.js';
import { readTopLevel } from './top-level.js';

export { COMPOSE_FILE_NAMES } from './compose-file.js';

const TOP_LEVEL_KEYS = [
  'services',
  'networks',
  'volumes',
  'version',
  'name',
  'secrets',
  'configs',
  'include',
];

/**
 * Compose files -> Container, Network and Volume resources for the docker driver. Every key it
 * does not support is reported by name and position; nothing is silently ignored except `x-`
 * extension fields and the obsolete `version`.
 */
const isComposeFile = (path: string) =>
  [...COMPOSE_FILE_NAMES, ...OVERRIDE_FILE_NAMES].includes(path.slice(path.lastIndexOf('/') + 1));

export const composeRenderer: Renderer = {
  name: 'compose',
  claims: (path, files) =>
    isComposeFile(path) || (files !== undefined && composeReferences(files).read.has(path)),
  render: (file, context) => {
    // Included and extended files are read by the compose file that names them.
    const references = composeReferences(context.files);
    if (isComposeFile(file.path) ? references.included.has(file.path) : references.read.has(file.path))
      return { documents: [], issues: [] };
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
  reader.checkKeys([], base, TOP_LEVEL_KEYS);
  let raw = base;
  const override = overrideOf(file, files);
  if (override) {
    const over = parseComposeFile(override);
    if (!over.doc) return { documents: [], issues: [...reader.issues, ...over.issues] };
    reader.layer(override.path, over.doc, over.doc.value);
    const map = reader.map([], over.doc.value, 'a mapping such as services: { web: { ... } }');
    if (!map) return { documents: [], issues: reader.issues };
    reader.checkKeys([], map, TOP_LEVEL_KEYS);
    raw = mergeProject(base, map);
  }
  if (raw.name !== undefined && raw.name !== app) {
    reader.issue(
      ['name'],
      `the project name is the app's name ("${app}") — remove name: or set it to ${app}`,
    );
  }

  const dir = dirOf(file.path);
  const vars = new Map<string, string>();
  const dotEnv = files.find((f) => f.path === joinPath(dir, '.env'));
  if (dotEnv) addVarsFrom(reader, dotEnv, vars);
  const written = interpolateTree(raw, vars, reader, isEnvironmentValue) as Record<string, unknown>;
  const included = readIncludes({ reader, files, keys: TOP_LEVEL_KEYS }, reader, written.include, dir, [
    file.path,
  ]);
  const { top, origins, parts } = mergeIncluded(reader, file.path, written, included);

  const networks = readTopLevel(reader, 'networks', top.networks);
  const volumes = readTopLevel(reader, 'volumes', top.volumes);
  if (!networks.refs.has('default')) networks.refs.set('default', { name: 'default', external: false });
  const refs = {
    networks: networks.refs,
    volumes: volumes.refs,
    dir,
    secrets: fileSources(reader, 'secrets', top.secrets, dir, parts),
    configs: fileSources(reader, 'configs', top.configs, dir, parts),
  };

  const declared = top.services === undefined ? undefined : reader.map(['services'], top.services);
  const originOf = (name: string) => origins.get(name) ?? { dir, vars };
  const load = extendsFileLoader({ reader, files, chain: [file.path], originOf });
  const services = declared && activeServices(reader, resolveExtends(reader, declared, load), profiles);
  if (!services) {
    if (top.services === undefined) reader.issue([], 'has no services: — declare at least one service');
    return { documents: [], issues: reader.issues };
  }
  const { containers, dependencies } = readServices(reader, services, origins, {
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

/** The file's own secrets or configs and those of each included project, each relative to its file. */
function fileSources(
  reader: Reader,
  kind: 'secrets' | 'configs',
  own: unknown,
  dir: string,
  parts: MergedProject['parts'],
): Map<string, FileSource | undefined> {
  const out = readFileSources(reader, kind, own, dir);
  for (const part of parts)
    for (const [name, source] of readFileSources(reader, kind, part[kind], part.dir)) out.set(name, source);
  return out;
}

/** Each service's Container spec and its `depends_on`; a name Compose refuses, or a clash, is reported once. */
function readServices(
  reader: Reader,
  services: Record<string, unknown>,
  origins: ReadonlyMap<string, ServiceOrigin>,
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
    // An included service reads its relative paths and variables from its own project.
    const origin = origins.get(name);
    const own = origin
      ? { refs: { ...shared.refs, dir: origin.dir }, env: { ...shared.env, ...origin } }
      : shared;
    const spec = serviceSpec({ reader, name, resourceName, service, ...own });
    containers.push({ name, resourceName, spec });
  }
  return { containers, dependencies };
}
