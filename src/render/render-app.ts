import {
  type AppSpec,
  type DesiredResource,
  errorMessage,
  type ForeignManifests,
  type ForeignObject,
  type HookPhase,
  type KindDefinition,
  type KindRegistry,
  resourceKey,
  type SourceFile,
  type SourceLocation,
  type ValidationIssue,
} from '../core/index.js';
import { didYouMean, formatFieldPath } from '../util/index.js';
import { CI_JOB_KIND, ciJobKind } from './ci-job-kind.js';
import { orderIssues } from './issues.js';
import { API_VERSION } from './manifest/envelope.js';
import type { RenderedDocument, Renderer } from './renderer.js';
import { renderers as registeredRenderers } from './renderers.js';
import type { ParsedYaml } from './yaml/index.js';

export const WAVE_ANNOTATION = 'wheelhouse/wave';

/** The control repo's own file, never a manifest. */
const CONTROL_FILE = 'wheelhouse.yaml';

export interface RenderAppInput {
  app: AppSpec;
  /** Driver of the app's target: its kinds are the ones the app may use. */
  driver: string;
  /** Every file under the app's path, with repo-relative paths. */
  files: readonly SourceFile[];
  kinds: KindRegistry;
  /** Options of the app's target, for drivers that take platform manifests (default namespace). */
  targetOptions?: Record<string, unknown>;
  /** Defaults to the registered renderers (`renderers.ts`). */
  renderers?: readonly Renderer[];
  /**
   * Names of the servers declared under `ci:`, to check a `CIJob`'s `ci` against; absent: not
   * checked here (the run says it when the server is missing).
   */
  ciServers?: readonly string[];
  /** Manifests parsed ahead (`RenderContext.parsed`). */
  parsed?: ReadonlyMap<SourceFile, ParsedYaml>;
}

export interface RenderAppResult {
  /** Valid resources, sorted by key. Apply nothing when `issues` is not empty. */
  resources: DesiredResource[];
  issues: ValidationIssue[];
}

/**
 * An app's files -> its desired resources, each validated and defaulted by its kind's schema.
 * Pure: no I/O, no clock; the same input gives the same output (the engine caches by digest).
 */
export function renderApp(input: RenderAppInput): RenderAppResult {
  const { app, driver, kinds } = input;
  const issues: ValidationIssue[] = [];
  const byKey = new Map<string, DesiredResource>();
  // Engine kinds (CIJob) run on no target: every driver's apps may use them.
  const engineKinds = [ciJobKind(input.ciServers)];
  const available = [...kinds.kindsFor(driver), ...engineKinds];
  const foreign = kinds.foreignFor?.(driver);

  const all: RenderedDocument[] = [];
  for (const file of appFiles(app, input.files)) {
    const renderer = (input.renderers ?? registeredRenderers).find((r) => r.claims(file.path, input.files));
    if (!renderer) continue;
    let documents: RenderedDocument[];
    try {
      const output = renderer.render(file, {
        files: input.files,
        app: app.name,
        ...(foreign ? { foreign: true } : {}),
        ...(app.compose ? { profiles: app.compose.profiles } : {}),
        ...(input.parsed ? { parsed: input.parsed } : {}),
      });
      documents = output.documents;
      issues.push(...output.issues);
    } catch (err) {
      issues.push({
        file: file.path,
        line: 1,
        column: 1,
        path: '',
        message: `the ${renderer.name} renderer failed on this file (${errorMessage(err)}) — please report this with the file`,
      });
      continue;
    }
    all.push(...documents);
  }
  // Platform manifests are read knowing the app's other documents (a CRD declares its resources' scope).
  const siblings = foreign ? all.map(foreignObject) : [];
  for (const document of all) {
    const resource = isEngineKind(document)
      ? toDesired(document, app, driver, engineKinds, kinds, issues)
      : foreign
        ? foreignToDesired(document, app, foreign, input.targetOptions ?? {}, siblings, issues)
        : toDesired(document, app, driver, available, kinds, issues);
    if (!resource) continue;
    const first = byKey.get(resource.key);
    if (!first) {
      byKey.set(resource.key, resource);
      continue;
    }
    const here = document.origin;
    const there = first.origin ?? here;
    const what = `${resource.kind} "${resource.metadata.name}"${resource.namespace === app.name ? '' : ` in namespace ${resource.namespace}`}`;
    issues.push(duplicate(here, what, there), duplicate(there, what, here));
  }

  const resources = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { resources, issues: orderIssues(issues) };
}

/** A `wheelhouse/v1` engine kind (CIJob), also among a platform's own manifests. */
function isEngineKind({ resource }: RenderedDocument): boolean {
  return resource.apiVersion === API_VERSION && resource.kind === CI_JOB_KIND;
}

/**
 * Files of the app, in path order, without any whose path below the app has a `.`-segment, and
 * without the control repo's own wheelhouse.yaml (for an app at the root of the control repo).
 */
function appFiles(app: AppSpec, files: readonly SourceFile[]): SourceFile[] {
  const prefix = app.path === '.' || app.path === '' ? '' : `${app.path.replace(/\/+$/, '')}/`;
  return files
    .filter((file) => file.path.startsWith(prefix))
    .filter((file) => !(app.sourceIsControlRepo && file.path === CONTROL_FILE))
    .filter(
      (file) =>
        !file.path
          .slice(prefix.length)
          .split('/')
          .some((segment) => segment.startsWith('.')),
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function toDesired(
  document: RenderedDocument,
  app: AppSpec,
  driver: string,
  available: readonly KindDefinition[],
  kinds: KindRegistry,
  issues: ValidationIssue[],
): DesiredResource | undefined {
  const { resource, origin } = document;
  const report = (path: (string | number)[], message: string, where: 'key' | 'value' = 'value') => {
    const at = document.locate?.(path, where) ?? origin;
    issues.push({ file: at.file, line: at.line, column: at.column, path: formatFieldPath(path), message });
  };

  const definition = available.find((k) => k.kind === resource.kind);
  if (!definition) {
    const serving = kinds.driversServing(resource.kind);
    if (serving.length > 0) {
      const list = serving.join(' or ');
      report(
        ['kind'],
        `kind ${resource.kind} is served by driver ${list}; app ${app.name} targets ${app.target} (driver ${driver}) — move it to an app whose target uses ${list}`,
      );
    } else {
      const names = available.map((k) => k.kind);
      const known =
        names.length > 0
          ? ` — kinds for driver ${driver}: ${names.join(', ')}`
          : ` — driver ${driver} serves no kinds`;
      report(['kind'], `unknown kind "${resource.kind}"${didYouMean(resource.kind, names) || known}`);
    }
    return undefined;
  }

  let parsed: ReturnType<KindDefinition['parse']>;
  try {
    parsed = definition.parse(resource.spec);
  } catch (err) {
    report(
      ['spec'],
      `the ${resource.kind} schema failed on this spec (${errorMessage(err)}) — please report this`,
    );
    return undefined;
  }
  if (!parsed.ok) {
    for (const issue of parsed.issues) report(['spec', ...issue.path], issue.message, issue.at ?? 'value');
    return undefined;
  }

  const wave = waveOf(resource.metadata.annotations, report);
  if (wave === undefined) return undefined;

  let hook: HookPhase | undefined;
  try {
    hook = definition.hook?.(parsed.value);
  } catch (err) {
    report(['spec'], `could not tell whether this ${resource.kind} is a hook (${errorMessage(err)})`);
    return undefined;
  }

  const namespace = resource.metadata.namespace ?? app.name;
  const desired: DesiredResource = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: resource.metadata,
    spec: parsed.value,
    key: resourceKey(app.target, resource.kind, namespace, resource.metadata.name),
    app: app.name,
    target: app.target,
    namespace,
    wave,
    origin,
  };
  if (hook) desired.hook = hook;
  return desired;
}

/**
 * A platform object (Kubernetes) for a driver that takes them: the driver's reader gives its key
 * kind, namespace, spec and hook phase; the wave comes from the same annotation as for any kind.
 */
function foreignToDesired(
  document: RenderedDocument,
  app: AppSpec,
  foreign: ForeignManifests,
  targetOptions: Record<string, unknown>,
  siblings: readonly ForeignObject[],
  issues: ValidationIssue[],
): DesiredResource | undefined {
  const { resource, origin } = document;
  const report = (path: (string | number)[], message: string) => {
    const at = document.locate?.(path) ?? origin;
    issues.push({ file: at.file, line: at.line, column: at.column, path: formatFieldPath(path), message });
  };
  let read: ReturnType<ForeignManifests['read']>;
  try {
    read = foreign.read({ object: foreignObject(document), app, targetOptions, siblings });
  } catch (err) {
    report([], `the ${resource.kind} object could not be read (${errorMessage(err)}) — please report this`);
    return undefined;
  }
  if (!read.ok) {
    for (const issue of read.issues) report(issue.path, issue.message);
    return undefined;
  }
  const wave = waveOf(resource.metadata.annotations, report);
  if (wave === undefined) return undefined;
  const { keyKind, namespace, spec, hook } = read.value;
  const desired: DesiredResource = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: namespace ? { ...resource.metadata, namespace } : resource.metadata,
    spec,
    key: resourceKey(app.target, keyKind, namespace, resource.metadata.name),
    app: app.name,
    target: app.target,
    namespace,
    wave,
    origin,
  };
  if (hook) desired.hook = hook;
  return desired;
}

/** A rendered document as a platform object: the spec with its apiVersion, kind and metadata. */
function foreignObject({ resource }: RenderedDocument): ForeignObject {
  const object = { ...resource.spec, apiVersion: resource.apiVersion, kind: resource.kind, metadata: {} };
  const metadata = resource.spec.metadata;
  if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)) {
    object.metadata = metadata as Record<string, unknown>;
  }
  return object;
}

/** The `wheelhouse/wave` annotation as a whole number (0 when absent); undefined when invalid. */
function waveOf(
  annotations: Record<string, string> | undefined,
  report: (path: (string | number)[], message: string) => void,
): number | undefined {
  const waveText = annotations?.[WAVE_ANNOTATION];
  if (waveText === undefined) return 0;
  const value = /^[+-]?\d+$/.test(waveText.trim()) ? Number(waveText.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    report(
      ['metadata', 'annotations', WAVE_ANNOTATION],
      'must be a whole number ("-1", "0", "1", ...): lower waves are applied first',
    );
    return undefined;
  }
  return value;
}

function duplicate(at: SourceLocation, what: string, other: SourceLocation): ValidationIssue {
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    path: 'metadata.name',
    message: `${what} is defined twice (also at ${other.file}:${other.line}:${other.column}) — rename or remove one`,
  };
}
