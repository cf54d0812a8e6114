import { describe, expect, it } from 'vitest';
import { exampleCrd, renderManifests } from './driver-fixture.js';

/**
 * A custom resource of a cluster-scoped CRD (declared in the same app) has no namespace in its
 * key, whatever the target's default namespace, and may not name one.
 */
const crd = exampleCrd('Gizmo', 'gizmos', 'Cluster');

const gizmo = (name: string) => `apiVersion: example.com/v1
kind: Gizmo
metadata: { name: ${name} }
spec: { size: 3 }
`;

describe('kubernetes manifests: cluster-scoped custom resources', () => {
  const files = { 'crd.yaml': crd, 'big.yaml': gizmo('big'), 'small.yaml': gizmo('small') };

  it('keys them without a namespace, even with a target default namespace', () => {
    const keys = renderManifests('gadgets', 'prod', 'shop', files).map((r) => [r.key, r.namespace]);
    expect(keys).toEqual([
      ['prod/CustomResourceDefinition.apiextensions.k8s.io//gizmos.example.com', ''],
      ['prod/Gizmo.example.com//big', ''],
      ['prod/Gizmo.example.com//small', ''],
    ]);
  });

  it('refuses a namespace on one, as for built-in cluster-scoped kinds', () => {
    expect(() =>
      renderManifests('gadgets', 'prod', 'shop', {
        'crd.yaml': crd,
        'big.yaml': gizmo('big').replace('name: big', 'name: big, namespace: shop'),
      }),
    ).toThrow(/Gizmo is cluster-scoped: remove metadata.namespace/);
  });
});
