import type { Mirror } from './mirror.js';
import { isTreeMode, parseTree } from './tree-entries.js';

/**
 * Tree ids of many directories of one tree, read level by level from the tree objects: one
 * `cat-file` round trip per directory depth, each tree read once. Asking git for `<rev>:<path>`
 * per path instead makes it read and scan the parent tree once per path: with 10,000 apps under
 * one directory that was 10,000 reads of a 10,000-entry tree, about 20 s on every poll.
 * `paths` are normalized (`apps/web`, `` for the root); a path that is missing or not a
 * directory maps to null.
 */
export async function treeIdsUnder(
  mirror: Mirror,
  rootTree: string,
  paths: readonly string[],
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
    const trees = await mirror.batch.contents(level.map((t) => t.oid));
    const next: typeof level = [];
    trees.forEach((tree, i) => {
      const dir = level[i]?.path ?? '';
      const names = wanted.get(dir) ?? new Set<string>();
      const found = new Map<string, string>();
      if (tree.status === 'found')
        for (const entry of parseTree(tree.content, oidBytes))
          if (names.has(entry.name) && isTreeMode(entry.mode)) found.set(entry.name, entry.oid);
      for (const name of names) {
        const path = dir === '' ? name : `${dir}/${name}`;
        const oid = found.get(name) ?? null;
        out.set(path, oid);
        if (oid !== null && wanted.has(path)) next.push({ path, oid });
      }
    });
    level = next;
  }
  return out;
}
