import type { YamlPath } from '../yaml/index.js';
import { joinPath } from './paths.js';
import type { Reader } from './reader.js';

/** Where a top-level secret or config comes from: a file of the repository, or the engine's environment. */
export type FileSource = { file: string } | { fromEnv: string };
export type FileSources = ReadonlyMap<string, FileSource | undefined>;

/**
 * Top-level `secrets:` or `configs:` -> their sources. `file:` is relative to the compose file and
 * stays inside the repository; `environment:` names a variable of Wheelhouse's environment, read
 * when the container is applied (its value is never part of the spec).
 */
export function readFileSources(
  reader: Reader,
  kind: 'secrets' | 'configs',
  value: unknown,
  dir: string,
): Map<string, FileSource | undefined> {
  const out = new Map<string, FileSource | undefined>();
  if (value === undefined || value === null) return out;
  const map = reader.map([kind], value);
  if (!map) return out;
  for (const [name, raw] of Object.entries(map)) {
    const path: YamlPath = [kind, name];
    // Declared but unreadable: reported here once, its uses stay silent.
    out.set(name, undefined);
    const options = reader.map(path, raw, 'a mapping with file: or environment:');
    if (!options) continue;
    reader.checkKeys(path, options, ['file', 'environment'], {
      external: `external ${kind} are Swarm objects — use file: (in the repository) or environment: (from Wheelhouse's environment)`,
      content: `"content" is not supported — commit the content as a file and use file:`,
    });
    // Already reported by checkKeys: one mistake, one message.
    if ('external' in options || 'content' in options) continue;
    if ((options.file === undefined) === (options.environment === undefined)) {
      reader.issue(path, `${kind.slice(0, -1)} "${name}" needs exactly one of file: or environment:`);
      continue;
    }
    if (options.file !== undefined) {
      const written = reader.text([...path, 'file'], options.file, 'a path relative to the compose file');
      if (written === undefined) continue;
      const file = written.startsWith('/') ? undefined : joinPath(dir, written);
      if (file === undefined || file === '') {
        reader.issue(
          [...path, 'file'],
          `"${written}" is not a file of this repository — write a path relative to the compose file, inside the repository`,
        );
        continue;
      }
      out.set(name, { file });
    } else {
      const env = reader.text(
        [...path, 'environment'],
        options.environment,
        'the name of an environment variable',
      );
      if (env === undefined) continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) {
        reader.issue(
          [...path, 'environment'],
          `"${env}" is not an environment variable name — use letters, digits and _`,
        );
        continue;
      }
      out.set(name, { fromEnv: env });
    }
  }
  return out;
}

/**
 * A service's `secrets:` or `configs:` -> mounts: a secret at `/run/secrets/<name>` (or its
 * `target`, relative ones under /run/secrets), a config at `/<name>` (or its `target`).
 */
export function readFileMounts(
  reader: Reader,
  path: YamlPath,
  value: unknown,
  kind: 'secrets' | 'configs',
  sources: FileSources,
): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : undefined;
  if (!list) {
    reader.issue(path, `must be a list of ${kind} names or { source, target }`);
    return [];
  }
  const mounts: Record<string, unknown>[] = [];
  list.forEach((entry, i) => {
    const at: YamlPath = [...path, i];
    const long =
      typeof entry === 'string' ? { source: entry } : reader.map(at, entry, 'a name or { source, target }');
    if (!long) return;
    reader.checkKeys(at, long, ['source', 'target'], {
      uid: '"uid" is not supported — the file is readable by every user of the container',
      gid: '"gid" is not supported — the file is readable by every user of the container',
      mode: '"mode" is not supported — the file is mounted read-only',
    });
    const source = reader.text(typeof entry === 'string' ? at : [...at, 'source'], long.source);
    if (source === undefined) return;
    if (!sources.has(source)) {
      reader.issue(
        at,
        `${kind.slice(0, -1)} "${source}" is not declared — add it under the top-level ${kind}: key`,
      );
      return;
    }
    const from = sources.get(source);
    if (!from) return;
    const written = long.target === undefined ? source : reader.text([...at, 'target'], long.target);
    if (written === undefined) return;
    const target = written.startsWith('/')
      ? written
      : kind === 'secrets'
        ? `/run/secrets/${written}`
        : `/${written}`;
    mounts.push(
      'file' in from
        ? { type: 'repo', source: from.file, target, readOnly: true }
        : { type: 'env', fromEnv: from.fromEnv, target },
    );
  });
  return mounts;
}
