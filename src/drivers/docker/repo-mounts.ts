import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { type ApplyContext, WheelhouseError } from '../../core/index.js';
import type { ContainerSpec } from './kinds/index.js';
import { mountDir } from './mount-drift.js';

/**
 * Files and directories of the repository a container mounts (compose's `./nginx.conf:/etc/...`),
 * copied at the synced revision into `<stateDir>/repo-mounts/<app>/<resource>/<tree id>/` and
 * mounted from there: a new revision of them is a new directory (and a new spec, through
 * `sourceTrees`), and every apply writes them again, so an edit on the host is undone. Secrets
 * and configs from the engine's environment are written (read-only) beside them, `env/<VAR>`.
 * Returns repo path (or `env:<VAR>`) -> host path.
 */
export async function materializeRepoMounts(
  stateDir: string,
  spec: ContainerSpec,
  ctx: ApplyContext,
  env: Readonly<Record<string, string | undefined>>,
  where: { app: string; resource: string; name: string },
  /** Remove what is there first (drift: files added by hand go too). */
  replace = false,
): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  const base = mountDir(stateDir, where.app, where.name);
  for (const variable of new Set(spec.volumes.flatMap((m) => (m.type === 'env' ? [m.fromEnv] : [])))) {
    const value = env[variable];
    if (value === undefined) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `${where.resource}: environment variable ${variable} (a secret or config of app ${where.app}) is not set in the engine's environment — set it where Wheelhouse runs and sync again`,
        { details: { app: where.app, resource: where.resource } },
      );
    }
    const file = join(base, 'env', variable);
    await mkdir(join(base, 'env'), { recursive: true, mode: 0o700 });
    await writeFile(file, value, { mode: 0o444 });
    paths[`env:${variable}`] = file;
  }
  const sources = spec.volumes.flatMap((m) => (m.type === 'repo' ? [m.source] : []));
  if (sources.length === 0) return paths;
  const root = await ctx.checkout();
  for (const source of new Set(sources)) {
    const from = resolve(root, source);
    if (!from.startsWith(root + sep)) {
      throw new WheelhouseError(
        'DRIVER_FAILED',
        `${where.resource}: mount source ${source} is outside the repository; mount a path inside it`,
        { details: where },
      );
    }
    const tree = (spec.sourceTrees?.[source] ?? ctx.revision).slice(0, 12);
    const dir = join(base, tree);
    const to = join(dir, source);
    try {
      await mkdir(dir, { recursive: true });
      if (replace) await rm(to, { recursive: true, force: true });
      await cp(from, to, { recursive: true, force: true });
    } catch (err) {
      throw new WheelhouseError(
        'DRIVER_FAILED',
        `${where.resource}: cannot copy ${source} at revision ${ctx.revision.slice(0, 12)} to ${to} for its mount: ${err instanceof Error ? err.message : String(err)}; check that the path exists in Git and that ${stateDir} is writable`,
        { cause: err, details: { app: where.app, resource: where.resource } },
      );
    }
    paths[source] = to;
  }
  return paths;
}
