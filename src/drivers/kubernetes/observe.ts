import type { LiveResource, ResourceNode } from '../../core/index.js';
import { objectHealth } from './health/index.js';
import type { InventoryEntry } from './inventory.js';
import type { KubeObject } from './kube-object.js';
import { ANNOTATION } from './labels.js';
import { appliedView, redactedView, stableJson } from './live-spec.js';
import type { Runtime } from './runtime.js';
import { buildTree, type KubeTreeNode } from './tree.js';

/** A tree node for display: kind, name, health and children (the object itself stays in memory). */
function view(node: KubeTreeNode): ResourceNode {
  return {
    kind: node.object.kind,
    name: node.object.metadata.name,
    ...(node.object.metadata.namespace ? { namespace: node.object.metadata.namespace } : {}),
    health: node.health,
    children: node.children.map(view),
  };
}

/** The live object of an inventory entry, from the watch cache. */
export function liveObject(rt: Runtime, entry: InventoryEntry): KubeObject | undefined {
  return rt.cache.get(entry.apiVersion, entry.kind, entry.namespace, entry.name);
}

/** Health of an entry's object, explained by what it owns (Deployment -> ReplicaSets -> Pods). */
export function entryHealth(
  rt: Runtime,
  entry: InventoryEntry,
): { health: LiveResource['health']; tree?: KubeTreeNode } {
  const obj = liveObject(rt, entry);
  if (!obj) return { health: { status: 'Missing', message: `${entry.kind} ${entry.name} does not exist` } };
  const family = [obj, ...rt.cache.descendants(obj)];
  if (family.length === 1) return { health: objectHealth(obj, rt.cache.context(obj)) };
  const tree = buildTree(family).find((n) => n.object === obj);
  return tree ? { health: tree.health, tree } : { health: objectHealth(obj, family.slice(1)) };
}

/**
 * One app's resources as they are live: only what its inventory holds (never an object it did not
 * apply), served from the watch cache. A resource whose object is gone is left out (the engine
 * sees it as missing and, with selfHeal, applies it again).
 */
export function observeApp(rt: Runtime, app: string): LiveResource[] {
  const out: LiveResource[] = [];
  for (const entry of rt.entries.get(app)?.values() ?? []) {
    const obj = liveObject(rt, entry);
    if (!obj) continue;
    const now = appliedView(obj, entry.fields);
    const spec = stableJson(now) === entry.view ? entry.spec : redactedView(obj, now);
    const { health, tree } = entryHealth(rt, entry);
    const live: LiveResource = {
      key: entry.key,
      kind: entry.kind,
      name: entry.name,
      namespace: entry.namespace,
      app,
      spec,
      health,
      status: {
        apiVersion: obj.apiVersion,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
    };
    if (tree && tree.children.length > 0) live.children = tree.children.map(view);
    const digest = obj.metadata.annotations?.[ANNOTATION.digest];
    if (digest) live.appliedDigest = digest;
    out.push(live);
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
