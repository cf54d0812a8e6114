import type { SourceFile } from '../../core/index.js';
import { parseYaml } from '../yaml/index.js';
import { COMPOSE_FILE_NAMES } from './compose-file.js';
import { dirOf, joinPath } from './paths.js';

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export interface ComposeReferences {
  /** Every file a compose file includes or extends from (directly or through another). */
  read: ReadonlySet<string>;
  /** Compose files (`compose.yaml`...) included by another compose file's project: not projects themselves. */
  included: ReadonlySet<string>;
}

const cache = new WeakMap<readonly SourceFile[], ComposeReferences>();

const isComposeName = (path: string) =>
  (COMPOSE_FILE_NAMES as readonly string[]).includes(path.slice(path.lastIndexOf('/') + 1));

/**
 * Files that compose files read as part of their project (`include:` paths, `extends.file`),
 * followed from every compose file of the revision. They are rendered with the file that reads
 * them, never on their own (an included `db/compose.yaml` is not a second project, and an included
 * `db.yaml` is not a manifest). A compose file in an include cycle with no other compose file
 * stays a project, so the cycle is reported.
 */
export function composeReferences(files: readonly SourceFile[]): ComposeReferences {
  const cached = cache.get(files);
  if (cached) return cached;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const edges = new Map<string, { include: string[]; extend: string[] }>();
  const edgesOf = (path: string) => {
    let found = edges.get(path);
    const file = byPath.get(path);
    if (!found) {
      found = file ? referencesOf(file) : { include: [], extend: [] };
      edges.set(path, found);
    }
    return found;
  };
  const closure = (start: string, follow: (e: { include: string[]; extend: string[] }) => string[]) => {
    const seen = new Set<string>();
    const queue = [start];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      for (const next of follow(edgesOf(path))) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    return seen;
  };
  const composeFiles = files.map((f) => f.path).filter(isComposeName);
  const read = new Set<string>();
  const includes = new Map<string, Set<string>>();
  for (const path of composeFiles) {
    for (const ref of closure(path, (e) => [...e.include, ...e.extend])) read.add(ref);
    includes.set(
      path,
      closure(path, (e) => e.include),
    );
  }
  const included = new Set(
    composeFiles.filter((path) =>
      composeFiles.some(
        (other) => other !== path && includes.get(other)?.has(path) && !includes.get(path)?.has(other),
      ),
    ),
  );
  const result = { read, included };
  cache.set(files, result);
  return result;
}

/** Paths (without `${VAR}`s) that one compose file includes or extends from, resolved. */
function referencesOf(file: SourceFile): { include: string[]; extend: string[] } {
  const yaml = parseYaml({ text: file.content, file: file.path });
  const value = yaml.documents[0]?.value;
  if (!isMapping(value)) return { include: [], extend: [] };
  const include: unknown[] = [];
  if (Array.isArray(value.include)) {
    for (const entry of value.include) {
      const path = isMapping(entry) ? entry.path : entry;
      include.push(...(Array.isArray(path) ? path : [path]));
    }
  }
  const extend: unknown[] = [];
  if (isMapping(value.services)) {
    for (const service of Object.values(value.services))
      if (isMapping(service) && isMapping(service.extends)) extend.push(service.extends.file);
  }
  const dir = dirOf(file.path);
  const resolve = (written: unknown[]) =>
    written
      .filter((p): p is string => typeof p === 'string' && !p.includes('$') && !p.startsWith('/'))
      .map((p) => joinPath(dir, p))
      .filter((p): p is string => p !== undefined && p !== file.path);
  return { include: resolve(include), extend: resolve(extend) };
}
