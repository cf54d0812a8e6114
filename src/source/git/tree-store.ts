import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/index.js';
import type { Mirror } from './mirror.js';

const TMP_PREFIX = '.tmp-';

/** Make every file and directory under `dir` read-only (executables keep their x bits); symlinks are left alone. */
export async function makeReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makeReadOnly(full);
    else if (entry.isFile()) {
      const { mode } = await lstat(full);
      await chmod(full, mode & 0o111 ? 0o555 : 0o444);
    }
  }
  await chmod(dir, 0o555);
}

/** Remove a read-only tree: directories get their write bit back first (needed when not root). */
export async function removeTree(dir: string): Promise<void> {
  const unlock = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isDirectory()) return;
    await chmod(path, 0o755).catch(() => undefined);
    for (const name of await readdir(path).catch(() => [] as string[])) await unlock(join(path, name));
  };
  await unlock(dir);
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Materialized trees under `<dataDir>/git/trees/<treeid>`: read-only, shared by every revision
 * and repo whose tree has that id, built in a temp dir and renamed into place, and collected
 * down to the newest `keep` by last use (a tree's directory mtime is its last use).
 */
export class TreeStore {
  private readonly building = new Map<string, Promise<string>>();
  private cleaned: Promise<void> | undefined;

  constructor(
    private readonly root: string,
    private readonly keep: number,
    private readonly log: Logger,
  ) {}

  async materialize(mirror: Mirror, treeId: string): Promise<string> {
    const dir = join(this.root, treeId);
    const existing = await stat(dir).catch(() => undefined);
    if (existing?.isDirectory()) {
      const now = new Date();
      await utimes(dir, now, now);
      return dir;
    }
    let build = this.building.get(treeId);
    if (!build) {
      build = this.build(mirror, treeId, dir).finally(() => this.building.delete(treeId));
      this.building.set(treeId, build);
    }
    const out = await build;
    await this.gc(treeId);
    return out;
  }

  /** Keep the newest `keep` trees by last use; never the one just asked for or any being built. */
  async gc(protect?: string): Promise<string[]> {
    const names = (await readdir(this.root).catch(() => [] as string[])).filter(
      (n) => !n.startsWith(TMP_PREFIX),
    );
    const dated = await Promise.all(
      names.map(async (name) => ({
        name,
        used: (await stat(join(this.root, name)).catch(() => undefined))?.mtimeMs ?? 0,
      })),
    );
    dated.sort((a, b) => b.used - a.used);
    const removed: string[] = [];
    let kept = 0;
    for (const { name } of dated) {
      if (name === protect || this.building.has(name) || kept < this.keep) {
        kept++;
        continue;
      }
      await removeTree(join(this.root, name));
      removed.push(name);
    }
    if (removed.length > 0) this.log.debug({ removed: removed.length, kept }, 'materialized trees collected');
    return removed;
  }

  private async build(mirror: Mirror, treeId: string, dir: string): Promise<string> {
    await mkdir(this.root, { recursive: true });
    this.cleaned ??= this.removeLeftovers();
    await this.cleaned;
    const tmp = join(this.root, `${TMP_PREFIX}${treeId}-${randomUUID().slice(0, 8)}`);
    const index = `${tmp}.index`;
    try {
      await mkdir(tmp);
      const env = { GIT_INDEX_FILE: index };
      await mirror.git(['read-tree', treeId], `reading tree ${treeId} of ${mirror.repo}`, { env });
      await mirror.git(
        [`--work-tree=${tmp}`, 'checkout-index', '--all', '--force'],
        `writing tree ${treeId} of ${mirror.repo}`,
        {
          env,
        },
      );
      await makeReadOnly(tmp);
      try {
        await rename(tmp, dir);
      } catch (err) {
        // Someone else finished the same tree first: theirs is identical.
        if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw err;
        await removeTree(tmp);
      }
      return dir;
    } catch (err) {
      await removeTree(tmp);
      throw err;
    } finally {
      await rm(index, { force: true });
    }
  }

  /** Temp dirs left by a crash (this process owns the data dir, so none of them is in use). */
  private async removeLeftovers(): Promise<void> {
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (name.startsWith(TMP_PREFIX)) await removeTree(join(this.root, name));
    }
  }
}
