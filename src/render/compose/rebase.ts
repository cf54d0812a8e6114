/**
 * Rewrites the relative paths of a service defined in one directory so they mean the same files
 * when the service is read from another (`extends.file` pulls a service from another file; its
 * `build`, `./` mounts and `env_file` stay relative to that file, as in Compose).
 */
type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The relative path from directory `from` to directory `to` (both repo-relative), `./x` or `../x`. */
export function relativeDir(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const up = a.slice(common).map(() => '..');
  const down = b.slice(common);
  return up.length === 0 ? ['.', ...down].join('/') : [...up, ...down].join('/');
}

export function rebaseService(service: Mapping, fromDir: string, toDir: string): Mapping {
  if (fromDir === toDir) return service;
  const prefix = relativeDir(toDir, fromDir);
  const path = (p: unknown): unknown =>
    typeof p !== 'string' || p.startsWith('/') || p.startsWith('~') || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)
      ? p
      : `${prefix}/${p}`;
  const out: Mapping = { ...service };
  if (typeof service.build === 'string') out.build = path(service.build);
  else if (isMapping(service.build))
    out.build = { ...service.build, context: path(service.build.context ?? '.') };
  if (Array.isArray(service.volumes)) out.volumes = service.volumes.map((v) => rebaseMount(v, path));
  if (typeof service.env_file === 'string') out.env_file = path(service.env_file);
  else if (Array.isArray(service.env_file)) {
    out.env_file = service.env_file.map((entry) =>
      isMapping(entry) ? { ...entry, path: path(entry.path) } : path(entry),
    );
  }
  return out;
}

/** Only `./` and `../` sources are repository paths in a mount; names and absolute paths stay. */
function rebaseMount(mount: unknown, path: (p: unknown) => unknown): unknown {
  if (typeof mount === 'string') {
    const colon = mount.indexOf(':');
    return colon > 0 && mount.startsWith('.') ? `${path(mount.slice(0, colon))}${mount.slice(colon)}` : mount;
  }
  if (isMapping(mount) && typeof mount.source === 'string' && mount.source.startsWith('.'))
    return { ...mount, source: path(mount.source) };
  return mount;
}
