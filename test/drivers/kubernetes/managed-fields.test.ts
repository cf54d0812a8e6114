import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/drivers/kubernetes/kube-object.js';
import { appliedView, stableJson } from '../../../src/drivers/kubernetes/live-spec.js';
import { appliedFields, project } from '../../../src/drivers/kubernetes/managed-fields.js';

/** A Deployment as the API server returns it after wheelhouse applied it and kubectl scaled it. */
const live: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u1',
    labels: { tier: 'front', 'app.kubernetes.io/managed-by': 'wheelhouse', 'wheelhouse/app': 'shop' },
    annotations: {
      'deployment.kubernetes.io/revision': '1',
      'wheelhouse/key': 'prod/Deployment.apps/shop/web',
    },
    managedFields: [
      {
        manager: 'wheelhouse',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': {
            'f:labels': { 'f:tier': {}, 'f:app.kubernetes.io/managed-by': {}, 'f:wheelhouse/app': {} },
            'f:annotations': { 'f:wheelhouse/key': {} },
          },
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:name': {},
                    'f:image': {},
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
      {
        manager: 'kubectl',
        operation: 'Update',
        subresource: 'scale',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ],
  },
  spec: {
    replicas: 5,
    revisionHistoryLimit: 10,
    template: {
      spec: {
        containers: [
          { name: 'sidecar', image: 'busybox' },
          {
            name: 'web',
            image: 'nginx',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
          },
        ],
      },
    },
  },
  status: { replicas: 5 },
};

describe('managed fields: what wheelhouse applied, seen live', () => {
  it('projects the object on the fields the wheelhouse manager applied, keyed list items included', () => {
    const fields = appliedFields(live, 'wheelhouse');
    expect(fields).toBeDefined();
    expect(project(live.spec, fields?.['f:spec'] ?? {})).toEqual({
      template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    });
  });

  it('gives the spec form without the driver labels, defaults, status or server metadata', () => {
    expect(appliedView(live)).toEqual({
      metadata: { labels: { tier: 'front' }, annotations: {} },
      spec: {
        template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
      },
    });
  });

  it('shows the live value of a field another manager took over, when it was remembered', () => {
    const remembered = { 'f:spec': { 'f:replicas': {} } };
    expect(appliedView(live, remembered).spec).toMatchObject({ replicas: 5 });
  });

  it('compares views by content, not key order or empty maps', () => {
    expect(stableJson({ b: 1, a: { d: {}, c: [2, { y: 1, x: 2 }] } })).toBe(
      stableJson({ a: { c: [2, { x: 2, y: 1 }] }, b: 1 }),
    );
  });
});
