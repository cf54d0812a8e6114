import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../../src/drivers/kubernetes/kube-object.js';
import { buildTree, type KubeTreeNode } from '../../../src/drivers/kubernetes/tree.js';
import { loadObjects } from './load-fixture.js';

/** `Kind name` per node, indented by depth: the tree as a person reads it. */
function outline(nodes: readonly KubeTreeNode[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${'  '.repeat(depth)}${node.object.kind} ${node.object.metadata.name} ${node.health.status}`,
    ...outline(node.children, depth + 1),
  ]);
}

function configMap(name: string, uid: string, owners: OwnerReference[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', uid, ownerReferences: owners },
  };
}

const ownedBy = (name: string, uid: string, controller = true): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  uid,
  controller,
});

describe('buildTree', () => {
  it('nests Deployment -> ReplicaSets -> Pods, with orphans and Pods of a missing owner as roots', () => {
    expect(outline(buildTree(loadObjects('tree/app.yaml')))).toEqual([
      'Deployment web Progressing',
      '  ReplicaSet web-6b7f9c8d5 Healthy',
      '    Pod web-6b7f9c8d5-ccccc Healthy',
      '  ReplicaSet web-7c8d9e0f1 Progressing',
      '    Pod web-7c8d9e0f1-aaaaa Healthy',
      '    Pod web-7c8d9e0f1-bbbbb Degraded',
      'Pod debug-shell Healthy',
      'Pod web-5a4b3c2d1-zzzzz Healthy',
      'Service web Healthy',
    ]);
  });

  it("explains a parent's health from all its descendants", () => {
    const [deployment] = buildTree(loadObjects('tree/app.yaml'));
    expect(deployment?.health.message).toContain(
      'Deployment web: waiting for rollout: 1 old replica pending termination',
    );
    expect(deployment?.health.message).toContain('Pod web-7c8d9e0f1-bbbbb: container web: ImagePullBackOff');
  });

  it('gives the same tree whatever order the objects come in', () => {
    const objects = loadObjects('tree/app.yaml');
    expect(outline(buildTree([...objects].reverse()))).toEqual(outline(buildTree(objects)));
  });

  it('prefers the controller owner and falls back to another owner present', () => {
    const nodes = buildTree([
      configMap('a', 'uid-a'),
      configMap('b', 'uid-b'),
      configMap('c', 'uid-c', [ownedBy('a', 'uid-a', false), ownedBy('b', 'uid-b', true)]),
      configMap('d', 'uid-d', [ownedBy('gone', 'uid-gone', true), ownedBy('a', 'uid-a', false)]),
    ]);
    expect(outline(nodes)).toEqual([
      'ConfigMap a Healthy',
      '  ConfigMap d Healthy',
      'ConfigMap b Healthy',
      '  ConfigMap c Healthy',
    ]);
  });

  it('cuts an ownership cycle so every object appears once', () => {
    const nodes = buildTree([
      configMap('z', 'uid-z', [ownedBy('y', 'uid-y')]),
      configMap('y', 'uid-y', [ownedBy('x', 'uid-x')]),
      configMap('x', 'uid-x', [ownedBy('z', 'uid-z')]),
      configMap('leaf', 'uid-leaf', [ownedBy('y', 'uid-y')]),
      configMap('self', 'uid-self', [ownedBy('self', 'uid-self')]),
    ]);
    expect(outline(nodes)).toEqual([
      'ConfigMap self Healthy',
      'ConfigMap x Healthy',
      '  ConfigMap y Healthy',
      '    ConfigMap leaf Healthy',
      '    ConfigMap z Healthy',
    ]);
  });

  it('keeps objects without a uid, and is empty for no objects', () => {
    const noUid: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } };
    expect(outline(buildTree([noUid]))).toEqual(['ConfigMap plain Healthy']);
    expect(buildTree([])).toEqual([]);
  });
});
