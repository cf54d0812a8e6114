import { cp, mkdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { type ApplyContext, WheelhouseError } from '../../core/index.js';
import type { ContainerSpec } from './kinds/index.js';

/**
 * Files and directories of the repository a container mounts (compose's `./nginx.conf:/etc/...`),
 * copied at the synced revision into `<stateDir>/repo-mounts/<app>/<resource>/<tree id>/` and
 * mounted from there: a new revision of them is a new directory (and a new spec, through
 * `sourceTrees`), and every apply writes them again, so an edit on the host is undone.
 * Returns repo path -> host path.
 */
export async function materializeRepoMounts(
  stateDir: string,
  spec: ContainerSpec,
  ctx: ApplyContext,
  where: { app: string; resource: string; name: string },
): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
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
    const dir = join(stateDir, 'repo-mounts', where.app, where.name, tree);
    const to = join(dir, source);
    try {
      await mkdir(dir, { recursive: true });
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
