import type { SourceFile } from '../../core/index.js';
import type { YamlPath } from '../yaml/index.js';
import { parseComposeFile } from './compose-file.js';
import { interpolateTree } from './interpolate-tree.js';
import { mergeProject } from './merge.js';
import { dirOf, joinPath } from './paths.js';
import { addVarsFrom, isEnvironmentValue } from './project-vars.js';
import { Reader } from './reader.js';

type Mapping = Record<string, unknown>;

/** One included Compose project: its file, the directory its relative paths start from, its variables. */
export interface IncludedProject {
  file: string;
  dir: string;
  vars: ReadonlyMap<string, string>;
  /** The file (and the files of its `path:` list merged over it), interpolated with `vars`. */
  top: Mapping;
}

export interface IncludeContext {
  /** The project's reader: included files become layers of it, and their problems land in it. */
  reader: Reader;
  files: readonly SourceFile[];
  /** Top-level keys a compose file may have (and notes for refused ones). */
  keys: readonly string[];
}

interface Entry {
  paths: { path: string; at: YamlPath }[];
  projectDirectory?: string;
  envFiles?: { path: string; at: YamlPath }[];
}

/**
 * Top-level `include:` of a file in `dir` -> the included projects, recursively, as Compose loads
 * them: each path relative to the including file; each project resolves its relative paths against
 * its own directory (or `project_directory`) and interpolates with its own `.env` (or `env_file`).
 * A missing file or a cycle is reported at its entry; the entry is then left out.
 */
export function readIncludes(
  ctx: IncludeContext,
  owner: Reader,
  value: unknown,
  dir: string,
  chain: readonly string[],
): IncludedProject[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    owner.issue(['include'], 'must be a list of compose file paths or { path, project_directory, env_file }');
    return [];
  }
  return value.flatMap((raw, i) => {
    const entry = readEntry(owner, ['include', i], raw);
    return entry ? loadEntry(ctx, owner, entry, dir, chain) : [];
  });
}

function readEntry(reader: Reader, at: YamlPath, raw: unknown): Entry | undefined {
  if (typeof raw === 'string') return { paths: [{ path: raw, at }] };
  const map = reader.map(at, raw, 'a compose file path or { path, project_directory, env_file }');
  if (!map) return undefined;
  reader.checkKeys(at, map, ['path', 'project_directory', 'env_file']);
  const list = (key: string): { path: string; at: YamlPath }[] | undefined => {
    const value = map[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return [{ path: value, at: [...at, key] }];
    const texts = reader.strings([...at, key], value);
    return texts?.map((path, i) => ({ path, at: [...at, key, i] }));
  };
  const paths = list('path');
  if (map.path === undefined) reader.issue(at, 'an include entry needs path: (the compose file to include)');
  if (!paths || paths.length === 0) return undefined;
  const entry: Entry = { paths };
  if (map.project_directory !== undefined) {
    const projectDirectory = reader.text([...at, 'project_directory'], map.project_directory);
    if (projectDirectory === undefined) return undefined;
    entry.projectDirectory = projectDirectory;
  }
  const envFiles = list('env_file');
  if (map.env_file !== undefined && !envFiles) return undefined;
  if (envFiles) entry.envFiles = envFiles;
  return entry;
}

function findFile(
  ctx: IncludeContext,
  owner: Reader,
  dir: string,
  ref: { path: string; at: YamlPath },
  what: string,
): SourceFile | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref.path)) {
    owner.issue(
      ref.at,
      `${what} "${ref.path}" is remote — Wheelhouse deploys what is in Git: commit a copy under the app's path and include that`,
    );
    return undefined;
  }
  const full = ref.path.startsWith('/') ? undefined : joinPath(dir, ref.path);
  const file = full === undefined ? undefined : ctx.files.find((f) => f.path === full);
  if (!file) {
    owner.issue(
      ref.at,
      `${what} "${ref.path}" is not among the app's files at the synced revision${full ? ` (looked for ${full})` : ''} — Wheelhouse reads the files under the app's path: commit it there, or fix the path (relative to this file)`,
    );
  }
  return file;
}

function loadEntry(
  ctx: IncludeContext,
  owner: Reader,
  entry: Entry,
  dir: string,
  chain: readonly string[],
): IncludedProject[] {
  const sources = entry.paths.map((ref) => findFile(ctx, owner, dir, ref, 'the included file'));
  const [first, ...overrides] = sources;
  if (!first || sources.some((s) => s === undefined)) return [];
  if (chain.includes(first.path)) {
    owner.issue(
      entry.paths[0]?.at ?? ['include'],
      `includes ${first.path}, which is already being included (${[...chain, first.path].join(' -> ')}) — remove one of the include entries`,
    );
    return [];
  }
  const parsed = parseComposeFile(first);
  if (!parsed.doc) {
    ctx.reader.issues.push(...parsed.issues);
    return [];
  }
  const sub = new Reader(first.path, parsed.doc);
  let raw = sub.map([], parsed.doc.value, 'a mapping with services:');
  if (raw) sub.checkKeys([], raw, ctx.keys);
  const layers = [{ file: first.path, doc: parsed.doc, value: parsed.doc.value }];
  for (const file of overrides) {
    if (!file || !raw) break;
    const over = parseComposeFile(file);
    if (!over.doc) {
      ctx.reader.issues.push(...over.issues);
      return [];
    }
    sub.layer(file.path, over.doc, over.doc.value);
    layers.push({ file: file.path, doc: over.doc, value: over.doc.value });
    const map = sub.map([], over.doc.value, 'a mapping such as services: { web: { ... } }');
    if (map) sub.checkKeys([], map, ctx.keys);
    raw = map && mergeProject(raw, map);
  }
  if (!raw) {
    ctx.reader.issues.push(...sub.issues);
    return [];
  }

  const projectDir =
    entry.projectDirectory === undefined ? dirOf(first.path) : joinPath(dir, entry.projectDirectory);
  const vars = new Map<string, string>();
  if (entry.envFiles) {
    for (const ref of entry.envFiles) {
      const file = findFile(ctx, owner, dir, ref, 'the env file');
      if (file) addVarsFrom(ctx.reader, file, vars);
    }
  } else {
    const dotEnv = ctx.files.find((f) => f.path === joinPath(projectDir ?? '', '.env'));
    if (dotEnv) addVarsFrom(ctx.reader, dotEnv, vars);
  }
  if (projectDir === undefined) {
    owner.issue(
      entry.paths[0]?.at ?? ['include'],
      `project_directory "${entry.projectDirectory}" climbs above the repository root — keep it inside the repository`,
    );
    return [];
  }
  const top = interpolateTree(raw, vars, sub, isEnvironmentValue) as Mapping;
  const nested = readIncludes(ctx, sub, top.include, dirOf(first.path), [...chain, first.path]);
  ctx.reader.issues.push(...sub.issues);
  // Problems found later in an included service or object point into its file.
  for (const layer of layers) ctx.reader.layer(layer.file, layer.doc, layer.value, 2);
  return [{ file: first.path, dir: projectDir, vars, top }, ...nested];
}
