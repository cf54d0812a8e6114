import type { SourceFile } from '../../core/index.js';
import { parseComposeFile } from './compose-file.js';
import { type ExtendsLoader, resolveExtends } from './extends.js';
import { interpolateTree } from './interpolate-tree.js';
import { dirOf, joinPath } from './paths.js';
import { isEnvironmentValue } from './project-vars.js';
import { Reader } from './reader.js';
import { rebaseService } from './rebase.js';

type Mapping = Record<string, unknown>;

export interface ExtendsFileContext {
  /** The project's reader: problems in the other files land in it. */
  reader: Reader;
  files: readonly SourceFile[];
  /** The file whose services are being resolved, and the files that led to it (for cycles). */
  chain: readonly string[];
  /** Directory and variables of the extending service's project (an included service has its own). */
  originOf: (service: string) => { dir: string; vars: ReadonlyMap<string, string> };
}

/**
 * `extends: { file, service }`: the file is relative to the extending service's file, is read
 * and interpolated with that service's variables, its own `extends` resolved (chains across files
 * work; a file met again is a cycle), and the base's `build`, `./` mounts and `env_file` keep
 * pointing at the files beside the file it was written in.
 */
export function extendsFileLoader(ctx: ExtendsFileContext): ExtendsLoader {
  return (ref, at, name) => {
    const { dir, vars } = ctx.originOf(name);
    const path = ref.file.startsWith('/') ? undefined : joinPath(dir, ref.file);
    const file = path === undefined ? undefined : ctx.files.find((f) => f.path === path);
    if (!file) {
      ctx.reader.issue(
        [...at, 'file'],
        `extends a service of "${ref.file}", which is not among the app's files at the synced revision${path ? ` (looked for ${path})` : ''} — Wheelhouse reads the files under the app's path: commit it there, or fix the path (relative to this file)`,
      );
      return undefined;
    }
    if (ctx.chain.includes(file.path)) {
      ctx.reader.issue(
        [...at, 'file'],
        `extends forms a cycle through ${[...ctx.chain, file.path].join(' -> ')} — remove one of the extends`,
      );
      return undefined;
    }
    const parsed = parseComposeFile(file);
    if (!parsed.doc) {
      ctx.reader.issues.push(...parsed.issues);
      return undefined;
    }
    const sub = new Reader(file.path, parsed.doc);
    const base = baseService(ctx, sub, parsed.doc.value, ref.service, vars, file.path);
    ctx.reader.issues.push(...sub.issues);
    if (base === undefined) {
      ctx.reader.issue(
        [...at, 'service'],
        `extends "${ref.service}", which is not a service of ${file.path}`,
      );
      return undefined;
    }
    return rebaseService(base, dirOf(file.path), dir);
  };
}

function baseService(
  ctx: ExtendsFileContext,
  sub: Reader,
  value: unknown,
  service: string,
  vars: ReadonlyMap<string, string>,
  path: string,
): Mapping | undefined {
  const top = sub.map([], value, 'a mapping with services:');
  const services = top?.services;
  if (services === null || typeof services !== 'object' || Array.isArray(services) || !(service in services))
    return undefined;
  const written = interpolateTree(services, vars, sub, isEnvironmentValue, ['services']);
  const dir = dirOf(path);
  const load = extendsFileLoader({
    ...ctx,
    reader: sub,
    chain: [...ctx.chain, path],
    originOf: () => ({ dir, vars }),
  });
  const resolved = resolveExtends(sub, written as Mapping, load);
  const result = resolved[service];
  return result !== null && typeof result === 'object' && !Array.isArray(result)
    ? (result as Mapping)
    : undefined;
}
