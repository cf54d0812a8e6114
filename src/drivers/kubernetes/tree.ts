import type { Health } from '../../core/index.js';
import { objectHealth } from './health/index.js';
import type { KubeObject } from './kube-object.js';

/** One object in the resource tree the dashboard and `status <app>` show. */
export interface KubeTreeNode {
  object: KubeObject;
  /** The object's health, explained by its descendants (a Deployment by its Pods). */
  health: Health;
  children: KubeTreeNode[];
}

/**
 * The ownership forest of `objects` (Deployment -> ReplicaSets -> Pods), from
 * `metadata.ownerReferences` matched by uid. An object's parent is its controller reference when
 * that owner is among `objects`, else its first other owner that is. Roots are the objects with no
 * owner among `objects` (an owner outside the list, e.g. already deleted, makes a root too).
 * Each object appears exactly once: an ownership cycle (only possible in bad data) is cut at the
 * member that sorts first, which becomes a root. Siblings and roots are sorted by kind, then name,
 * then namespace, then uid, so the same objects always give the same tree.
 */
export function buildTree(objects: readonly KubeObject[]): KubeTreeNode[] {
  const parents = cutCycles(parentIndexes(objects), objects);
  const children = objects.map((): number[] => []);
  const roots: number[] = [];
  parents.forEach((parent, index) => {
    if (parent === undefined) roots.push(index);
    else children[parent]?.push(index);
  });
  const build = (index: number): KubeTreeNode => {
    const object = objects[index] as KubeObject;
    const kids = sortIndexes(children[index] ?? [], objects).map(build);
    return { object, health: objectHealth(object, kids.flatMap(descendants)), children: kids };
  };
  return sortIndexes(roots, objects).map(build);
}

function descendants(node: KubeTreeNode): KubeObject[] {
  return [node.object, ...node.children.flatMap(descendants)];
}

/** For each object, the index of its parent among `objects`, or undefined for a root. */
function parentIndexes(objects: readonly KubeObject[]): (number | undefined)[] {
  const byUid = new Map<string, number>();
  objects.forEach((obj, index) => {
    const uid = obj.metadata.uid;
    if (uid !== undefined && !byUid.has(uid)) byUid.set(uid, index);
  });
  return objects.map((obj, index) => {
    const refs = Array.isArray(obj.metadata.ownerReferences) ? obj.metadata.ownerReferences : [];
    const ordered = [
      ...refs.filter((ref) => ref.controller === true),
      ...refs.filter((ref) => ref.controller !== true),
    ];
    for (const ref of ordered) {
      const parent = byUid.get(ref.uid);
      if (parent !== undefined && parent !== index) return parent;
    }
    return undefined;
  });
}

/** Removes the parent link of one member of every cycle (the one that sorts first). */
function cutCycles(parents: (number | undefined)[], objects: readonly KubeObject[]): (number | undefined)[] {
  const out = [...parents];
  const done = new Set<number>();
  for (let start = 0; start < out.length; start++) {
    const path: number[] = [];
    const onPath = new Set<number>();
    let at: number | undefined = start;
    while (at !== undefined && !done.has(at) && !onPath.has(at)) {
      path.push(at);
      onPath.add(at);
      at = out[at];
    }
    if (at !== undefined && onPath.has(at)) {
      const cycle = path.slice(path.indexOf(at));
      const [first] = sortIndexes(cycle, objects);
      if (first !== undefined) out[first] = undefined;
    }
    for (const index of path) done.add(index);
  }
  return out;
}

function sortIndexes(indexes: readonly number[], objects: readonly KubeObject[]): number[] {
  return [...indexes].sort(
    (a, b) => compareObjects(objects[a] as KubeObject, objects[b] as KubeObject) || a - b,
  );
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  return (
    compareText(a.kind, b.kind) ||
    compareText(a.metadata.name, b.metadata.name) ||
    compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareText(a.metadata.uid ?? '', b.metadata.uid ?? '')
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
