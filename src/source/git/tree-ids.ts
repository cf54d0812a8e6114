import { LruCache } from '../../util/index.js';
import type { Mirror } from './mirror.js';
import { isTreeMode, parseTree } from './tree-entries.js';

/** Sub-directories (name → tree id) of a tree object; immutable, so cached by the tree's id. */
export type SubtreeCache = LruCache<string, ReadonlyMap<string, string>>;

/** A cache for `treeIdsUnder`: the few large directories of a monorepo are read once. */
export function subtreeCache(max = 64): SubtreeCache {
  return new LruCache(max);
}

/**
 * Tree ids of many directories of one tree, read level by level from the tree objects: one
 * `cat-file` round trip per directory depth, each tree parsed once (and kept in `cache`). Asking
 * git for `<rev>:<path>` per path instead makes it read and scan the parent tree once per path:
 * with 10,000 apps under one directory that was 10,000 reads of a 10,000-entry tree, about 20 s
 * on every poll. `paths` are normalized (`apps/web`, `` for the root); a path that is missing or
 * not a directory maps to null.
 */
export async function treeIdsUnder(
  mirror: Mirror,
  rootTree: string,
  paths: readonly string[],
  cache: SubtreeCache,
): Promise<Map<string, string | null>> {
  const oidBytes = rootTree.length / 2;
  const out = new Map<string, string | null>();
  // Directory -> the names wanted in it (children on the way to a wanted path, or wanted ones).
  const wanted = new Map<string, Set<string>>();
  for (const path of paths) {
    if (path === '') {
      out.set('', rootTree);
      continue;
    }
    const parts = path.split('/');
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/');
      const names = wanted.get(dir) ?? new Set<string>();
      names.add(parts[depth] ?? '');
      wanted.set(dir, names);
    }
  }
  let level = wanted.has('') ? [{ path: '', oid: rootTree }] : [];
  while (level.length > 0) {
    // This level's trees, held here: the cache may drop some of them while a wide level is read.
    const trees = new Map<string, ReadonlyMap<string, string>>();
    for (const { oid } of level) {
      const cached = cache.get(oid);
      if (cached) trees.set(oid, cached);
    }
    const unread = [...new Set(level.map((t) => t.oid).filter((oid) => !trees.has(oid)))];
    for (const tree of unread.length > 0 ? await mirror.batch.contents(unread) : []) {
      if (tree.status !== 'found') continue;
      const subtrees = new Map<string, string>();
      for (const entry of parseTree(tree.content, oidBytes))
        if (isTreeMode(entry.mode)) subtrees.set(entry.name, entry.oid);
      trees.set(tree.oid, subtrees);
      cache.set(tree.oid, subtrees);
    }
    const next: typeof level = [];
    for (const { path: dir, oid: dirOid } of level) {
      const subtrees = trees.get(dirOid);
      for (const name of wanted.get(dir) ?? []) {
        const path = dir === '' ? name : `${dir}/${name}`;
        const oid = subtrees?.get(name) ?? null;
        out.set(path, oid);
        if (oid !== null && wanted.has(path)) next.push({ path, oid });
      }
    }
    level = next;
  }
  return out;
}
