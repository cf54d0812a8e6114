import type { YamlPath } from '../yaml/index.js';
import { joinPath } from './paths.js';
import type { Reader } from './reader.js';
import type { ProjectRefs } from './refs.js';

export type MountOut =
  | { type: 'volume'; source?: string; target: string; readOnly: boolean; external?: boolean }
  | { type: 'bind'; source: string; target: string; readOnly: boolean }
  | { type: 'repo'; source: string; target: string; readOnly: boolean }
  | { type: 'tmpfs'; target: string; size?: number | string };

/**
 * `./conf:/etc/app`: a path of the repository, relative to the compose file. The driver copies it
 * at the synced revision into a directory of its own and mounts that.
 */
function repoMount(
  reader: Reader,
  at: YamlPath,
  source: string,
  target: string,
  readOnly: boolean,
  dir = '',
): MountOut | undefined {
  if (source.startsWith('~')) {
    reader.issue(
      at,
      `"${source}" names another user's home — write ~/path (the home of the user Wheelhouse runs as) or an absolute path`,
    );
    return undefined;
  }
  const path = joinPath(dir, source);
  if (path === undefined || path === '') {
    reader.issue(
      at,
      `"${source}" ${path === '' ? 'mounts the whole repository' : 'climbs above the repository root'} — mount a file or directory inside the repository`,
    );
    return undefined;
  }
  return { type: 'repo', source: path, target, readOnly };
}

/** A service's `volumes:` (short `SOURCE:TARGET[:ro]` and long form), checked against the top-level volumes. */
export function readMounts(reader: Reader, path: YamlPath, value: unknown, refs: ProjectRefs): MountOut[] {
  if (!Array.isArray(value)) {
    reader.issue(path, 'must be a list of mounts such as "data:/var/lib/data"');
    return [];
  }
  const out: MountOut[] = [];
  value.forEach((entry, i) => {
    const at = [...path, i];
    const mount =
      typeof entry === 'string' ? shortMount(reader, at, entry, refs) : longMount(reader, at, entry, refs);
    if (mount) out.push(mount);
  });
  return out;
}

function shortMount(reader: Reader, at: YamlPath, text: string, refs: ProjectRefs): MountOut | undefined {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    reader.issue(
      at,
      `"${text}" is not a mount — write NAME:/path, /host/path:/path or /path, optionally with :ro`,
    );
    return undefined;
  }
  let readOnly = false;
  if (parts.length === 3 || (parts.length === 2 && !(parts[1] ?? '').startsWith('/'))) {
    const mode = parts.pop() ?? '';
    for (const option of mode.split(',')) {
      if (option === 'ro') readOnly = true;
      else if (option !== 'rw') {
        reader.issue(at, `mount option "${option}" is not supported — use ro or rw`);
        return undefined;
      }
    }
  }
  if (parts.length === 1) return volumeOrBind(reader, at, undefined, parts[0] ?? '', readOnly, refs);
  return volumeOrBind(reader, at, parts[0], parts[1] ?? '', readOnly, refs);
}

function volumeOrBind(
  reader: Reader,
  at: YamlPath,
  source: string | undefined,
  target: string,
  readOnly: boolean,
  refs: ProjectRefs,
): MountOut | undefined {
  if (!target.startsWith('/')) {
    reader.issue(at, `the mount target "${target}" must be an absolute path inside the container`);
    return undefined;
  }
  if (source === undefined) return { type: 'volume', target, readOnly };
  // `~/...` is the home of the user Wheelhouse runs as, as Compose reads it (the driver expands it).
  if (source.startsWith('/') || source === '~' || source.startsWith('~/')) {
    return { type: 'bind', source, target, readOnly };
  }
  if (source.startsWith('.') || source.startsWith('~'))
    return repoMount(reader, at, source, target, readOnly, refs.dir);
  return namedVolume(reader, at, source, target, readOnly, refs);
}

function namedVolume(
  reader: Reader,
  at: YamlPath,
  source: string,
  target: string,
  readOnly: boolean,
  refs: ProjectRefs,
): MountOut | undefined {
  const declared = refs.volumes.get(source);
  if (!declared) {
    reader.issue(at, `volume "${source}" is not declared — add it under the top-level volumes: key`);
    return undefined;
  }
  if (declared.unusable) return undefined;
  return declared.external
    ? { type: 'volume', source: declared.name, target, readOnly, external: true }
    : { type: 'volume', source: declared.name, target, readOnly };
}

function longMount(reader: Reader, at: YamlPath, entry: unknown, refs: ProjectRefs): MountOut | undefined {
  const map = reader.map(
    at,
    entry,
    'a mount such as "data:/data" or { type: volume, source: data, target: /data }',
  );
  if (!map) return undefined;
  const type = map.type ?? 'volume';
  const supported = ['type', 'source', 'target', 'read_only', ...(type === 'tmpfs' ? ['tmpfs'] : [])];
  reader.checkKeys(at, map, supported);
  const target = reader.text([...at, 'target'], map.target, 'an absolute path inside the container');
  if (target === undefined) return undefined;
  const readOnly = map.read_only === undefined ? false : reader.boolean([...at, 'read_only'], map.read_only);
  if (readOnly === undefined) return undefined;
  switch (type) {
    case 'tmpfs': {
      if (map.tmpfs === undefined) return { type: 'tmpfs', target };
      const tmpfs = reader.map([...at, 'tmpfs'], map.tmpfs);
      if (!tmpfs) return undefined;
      reader.checkKeys([...at, 'tmpfs'], tmpfs, ['size']);
      if (tmpfs.size === undefined) return { type: 'tmpfs', target };
      const size =
        typeof tmpfs.size === 'number' ? tmpfs.size : reader.text([...at, 'tmpfs', 'size'], tmpfs.size);
      return size === undefined ? undefined : { type: 'tmpfs', target, size };
    }
    case 'bind':
    case 'volume': {
      if (map.source === undefined) {
        if (type === 'bind') {
          reader.issue([...at, 'source'], 'a bind mount needs a source path');
          return undefined;
        }
        return volumeOrBind(reader, at, undefined, target, readOnly, refs);
      }
      const source = reader.text([...at, 'source'], map.source);
      if (source === undefined) return undefined;
      if (type === 'bind' && !source.startsWith('/') && source !== '~' && !source.startsWith('~/')) {
        if (source.startsWith('.') || source.startsWith('~'))
          return repoMount(reader, [...at, 'source'], source, target, readOnly, refs.dir);
        reader.issue([...at, 'source'], `"${source}" must be an absolute host path for a bind mount`);
        return undefined;
      }
      if (type === 'volume') {
        if (!target.startsWith('/')) {
          reader.issue(
            [...at, 'target'],
            `the mount target "${target}" must be an absolute path inside the container`,
          );
          return undefined;
        }
        return namedVolume(reader, [...at, 'source'], source, target, readOnly, refs);
      }
      return volumeOrBind(reader, at, source, target, readOnly, refs);
    }
    default:
      reader.issue(
        [...at, 'type'],
        `mount type ${JSON.stringify(type)} is not supported — use volume, bind or tmpfs`,
      );
      return undefined;
  }
}
