import { describe, expect, it } from 'vitest';
import type { HealthCode } from '../../../src/core/index.js';
import { objectHealth } from '../../../src/drivers/kubernetes/health/index.js';
import { loadObject, loadObjects } from './load-fixture.js';

interface Case {
  fixture: string;
  status: HealthCode;
  /** Words the message must contain (it always names the object when not Healthy). */
  words?: string[];
}

function check({ fixture, status, words = [] }: Case): void {
  const health = objectHealth(loadObject(`health/${fixture}`));
  expect(health.status).toBe(status);
  for (const word of words) expect(health.message).toContain(word);
}

const cases: Record<string, Case[]> = {
  Deployment: [
    { fixture: 'deployment-healthy.yaml', status: 'Healthy' },
    {
      fixture: 'deployment-rolling-out.yaml',
      status: 'Progressing',
      words: ['Deployment web', '1 of 3 replicas updated'],
    },
    {
      fixture: 'deployment-generation-unobserved.yaml',
      status: 'Progressing',
      words: ['Deployment web', 'waiting for the controller to observe generation 5'],
    },
    { fixture: 'deployment-paused.yaml', status: 'Suspended', words: ['Deployment web', 'paused'] },
    {
      fixture: 'deployment-deadline-exceeded.yaml',
      status: 'Degraded',
      words: ['Deployment web', 'condition Progressing is False', 'ProgressDeadlineExceeded', 'timed out'],
    },
  ],
  StatefulSet: [
    { fixture: 'statefulset-rolling.yaml', status: 'Healthy' },
    {
      fixture: 'statefulset-not-ready.yaml',
      status: 'Progressing',
      words: ['StatefulSet cache', '1 of 3 ready'],
    },
    {
      fixture: 'statefulset-partition-waiting.yaml',
      status: 'Progressing',
      words: ['StatefulSet db', 'partitioned rollout', '1 of 2', 'ordinal 3'],
    },
    {
      fixture: 'statefulset-partitioned.yaml',
      status: 'Healthy',
      words: ['partitioned rollout complete', 'below ordinal 3', 'db-7c9b5d6f48'],
    },
    {
      fixture: 'statefulset-ondelete.yaml',
      status: 'Healthy',
      words: ['OnDelete', '1 of 3', 'zk-7a8b9c0d1'],
    },
  ],
  DaemonSet: [
    { fixture: 'daemonset-healthy.yaml', status: 'Healthy' },
    {
      fixture: 'daemonset-rolling.yaml',
      status: 'Progressing',
      words: ['DaemonSet node-exporter', '1 of 3 updated Pods scheduled'],
    },
  ],
  ReplicaSet: [
    {
      fixture: 'replicaset-quota.yaml',
      status: 'Degraded',
      words: ['ReplicaSet web-6b7f9c8d5', 'ReplicaFailure', 'FailedCreate', 'exceeded quota'],
    },
  ],
  Pod: [
    { fixture: 'pod-running-ready.yaml', status: 'Healthy' },
    {
      fixture: 'pod-crashloop.yaml',
      status: 'Degraded',
      words: [
        'Pod worker-6d5f8b7c9-h2j4k',
        'container worker',
        'CrashLoopBackOff',
        'OOMKilled',
        'exit code 137',
      ],
    },
    {
      fixture: 'pod-image-pull.yaml',
      status: 'Degraded',
      words: ['Pod web-6b7f9c8d5-x2x7p', 'container migrate', 'ErrImagePull', 'not found'],
    },
    {
      fixture: 'pod-config-error.yaml',
      status: 'Degraded',
      words: ['Pod api-0', 'container api', 'CreateContainerConfigError', 'secret "api-env" not found'],
    },
    {
      fixture: 'pod-running-not-ready.yaml',
      status: 'Progressing',
      words: ['Pod web-6b7f9c8d5-fghij', 'ready: web'],
    },
    { fixture: 'pod-succeeded.yaml', status: 'Healthy' },
    {
      fixture: 'pod-failed.yaml',
      status: 'Degraded',
      words: ['Pod db-migrate-9pq3r', 'container migrate', 'exit code 2', 'already exists'],
    },
    {
      fixture: 'pod-unschedulable.yaml',
      status: 'Progressing',
      words: ['Pod web-6b7f9c8d5-zzzzz', 'Unschedulable', '3 Insufficient cpu'],
    },
  ],
  Job: [
    { fixture: 'job-complete.yaml', status: 'Healthy' },
    {
      fixture: 'job-failed.yaml',
      status: 'Degraded',
      words: ['Job db-migrate', 'Failed', 'BackoffLimitExceeded', 'backoff limit'],
    },
    { fixture: 'job-suspended.yaml', status: 'Suspended', words: ['Job nightly-report', 'suspend'] },
    {
      fixture: 'job-running.yaml',
      status: 'Progressing',
      words: ['Job reindex', '2 active', '1 of 5 succeeded'],
    },
  ],
  Service: [
    { fixture: 'service-clusterip.yaml', status: 'Healthy' },
    { fixture: 'service-lb-ready.yaml', status: 'Healthy' },
    {
      fixture: 'service-lb-pending.yaml',
      status: 'Progressing',
      words: ['Service web-public', 'waiting for a load balancer address'],
    },
  ],
  PersistentVolumeClaim: [
    { fixture: 'pvc-bound.yaml', status: 'Healthy' },
    {
      fixture: 'pvc-pending.yaml',
      status: 'Progressing',
      words: ['PersistentVolumeClaim data-db-0', 'Pending', 'fast-ssd'],
    },
    { fixture: 'pvc-lost.yaml', status: 'Degraded', words: ['PersistentVolumeClaim data-db-1', 'Lost'] },
  ],
  HorizontalPodAutoscaler: [
    { fixture: 'hpa-v1-healthy.yaml', status: 'Healthy' },
    {
      fixture: 'hpa-unable-to-scale.yaml',
      status: 'Degraded',
      words: ['HorizontalPodAutoscaler web', 'AbleToScale is False', 'FailedGetScale', 'web-typo'],
    },
    {
      fixture: 'hpa-no-metrics.yaml',
      status: 'Degraded',
      words: ['HorizontalPodAutoscaler web', 'ScalingActive is False', 'FailedGetResourceMetric'],
    },
  ],
  CustomResourceDefinition: [
    { fixture: 'crd-established.yaml', status: 'Healthy' },
    {
      fixture: 'crd-not-established.yaml',
      status: 'Progressing',
      words: ['CustomResourceDefinition widgets.example.com', 'Established is False', 'Installing'],
    },
    {
      fixture: 'crd-names-conflict.yaml',
      status: 'Degraded',
      words: ['CustomResourceDefinition gadgets.example.com', 'NamesAccepted is False', 'ShortNamesConflict'],
    },
  ],
  APIService: [
    { fixture: 'apiservice-local.yaml', status: 'Healthy' },
    {
      fixture: 'apiservice-unavailable.yaml',
      status: 'Degraded',
      words: ['APIService v1beta1.metrics.k8s.io', 'Available is False', 'FailedDiscoveryCheck'],
    },
  ],
  Namespace: [
    { fixture: 'namespace-active.yaml', status: 'Healthy' },
    {
      fixture: 'namespace-terminating.yaml',
      status: 'Progressing',
      words: ['Namespace shop-preview-42', 'deleted'],
    },
  ],
  'custom resources and other kinds': [
    {
      fixture: 'custom-resource-not-ready.yaml',
      status: 'Degraded',
      words: ['Widget blue', 'condition Ready is False', 'BackendUnreachable', 'widgets.internal'],
    },
    {
      fixture: 'custom-resource-reconciling.yaml',
      status: 'Progressing',
      words: ['Widget blue', 'Ready is False', 'resizing'],
    },
    {
      fixture: 'custom-resource-old-condition.yaml',
      status: 'Progressing',
      words: ['Widget blue', 'Ready', 'generation 4'],
    },
    { fixture: 'custom-resource-no-status.yaml', status: 'Healthy' },
    { fixture: 'configmap.yaml', status: 'Healthy' },
  ],
};

describe('objectHealth', () => {
  for (const [kind, list] of Object.entries(cases)) {
    describe(kind, () => {
      it.each(list)('$fixture is $status', (entry) => check(entry));
    });
  }

  it('names the object in every message that is not Healthy', () => {
    for (const entry of Object.values(cases).flat()) {
      const obj = loadObject(`health/${entry.fixture}`);
      const health = objectHealth(obj);
      if (health.status !== 'Healthy') expect(health.message).toMatch(`${obj.kind} ${obj.metadata.name}: `);
    }
  });
});

describe('objectHealth with related objects', () => {
  it('explains a Degraded Deployment with the reason of its worst Pod', () => {
    const [deployment, ...children] = loadObjects('health/deployment-deadline-exceeded.yaml');
    if (deployment === undefined) throw new Error('fixture is empty');
    const health = objectHealth(deployment, children);
    expect(health.status).toBe('Degraded');
    expect(health.message).toContain('ProgressDeadlineExceeded');
    expect(health.message).toContain('Pod web-5c9d7f6b4-q8zkx: container web: ImagePullBackOff');
    // The ReplicaSet is Progressing too; the worse Pod is the one named.
    expect(health.message).toContain('and 1 more not healthy');
  });

  it('keeps a Deployment Progressing but says why from its Pods', () => {
    const deployment = loadObject('health/deployment-rolling-out.yaml');
    const pod = loadObject('health/pod-image-pull.yaml');
    const health = objectHealth(deployment, [pod, loadObject('health/pod-running-ready.yaml')]);
    expect(health.status).toBe('Progressing');
    expect(health.message).toMatch(
      /^Deployment web: waiting for rollout: .*; Pod web-6b7f9c8d5-x2x7p: .*ErrImagePull/,
    );
    expect(health.message).not.toContain('more not healthy');
  });

  it('leaves a Healthy object alone whatever its children say', () => {
    const deployment = loadObject('health/deployment-healthy.yaml');
    expect(objectHealth(deployment, [loadObject('health/pod-crashloop.yaml')])).toEqual({
      status: 'Healthy',
    });
  });

  it('treats an Ingress without an address as Healthy when no IngressClass is known', () => {
    const health = objectHealth(loadObject('health/ingress-no-address.yaml'));
    expect(health.status).toBe('Healthy');
    expect(health.message).toContain('Ingress web: no load balancer address');
    expect(health.message).toContain('IngressClass nginx is not known');
  });

  it('waits for an Ingress address when its IngressClass is installed', () => {
    const ingressClass = loadObject('health/ingressclass-nginx.yaml');
    const health = objectHealth(loadObject('health/ingress-no-address.yaml'), [ingressClass]);
    expect(health.status).toBe('Progressing');
    expect(health.message).toContain('Ingress web: waiting for a load balancer address');
    expect(health.message).toContain('IngressClass nginx');
  });

  it('uses the default IngressClass for an Ingress that names none', () => {
    const ingress = loadObject('health/ingress-no-address.yaml');
    const unnamed = { ...ingress, spec: { ...ingress.spec, ingressClassName: undefined } };
    const health = objectHealth(unnamed, [loadObject('health/ingressclass-nginx.yaml')]);
    expect(health.status).toBe('Progressing');
    expect(objectHealth(unnamed).message).toContain('no default IngressClass');
  });

  it('is Healthy once the Ingress has an address, class or not', () => {
    const ingressClass = loadObject('health/ingressclass-nginx.yaml');
    expect(objectHealth(loadObject('health/ingress-address.yaml'), [ingressClass])).toEqual({
      status: 'Healthy',
    });
  });
});

describe('objectHealth edge cases', () => {
  it('is Progressing for any object being deleted, naming its finalizers', () => {
    const obj = loadObject('health/custom-resource-not-ready.yaml');
    const deleting = {
      ...obj,
      metadata: {
        ...obj.metadata,
        deletionTimestamp: '2026-12-04T11:00:00Z',
        finalizers: ['example.com/cleanup'],
      },
    };
    const health = objectHealth(deleting);
    expect(health.status).toBe('Progressing');
    expect(health.message).toBe('Widget blue: being deleted; waiting for finalizers example.com/cleanup');
  });

  it('turns a rolled-out Deployment whose Available condition is False Degraded', () => {
    const deployment = loadObject('health/deployment-healthy.yaml');
    const status = {
      ...deployment.status,
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
      ],
    };
    const health = objectHealth({ ...deployment, status });
    expect(health).toEqual({
      status: 'Degraded',
      message:
        'Deployment web: condition Available is False (MinimumReplicasUnavailable): Deployment does not have minimum availability',
    });
  });

  it('is Suspended for an autoscaler whose target was scaled to zero', () => {
    const hpa = loadObject('health/hpa-no-metrics.yaml');
    const status = {
      conditions: [
        { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled' },
      ],
    };
    expect(objectHealth({ ...hpa, status }).status).toBe('Suspended');
  });

  it('is Degraded for a custom resource that reports Stalled, even while Ready is Unknown', () => {
    const obj = loadObject('health/custom-resource-no-status.yaml');
    const status = {
      conditions: [
        { type: 'Ready', status: 'Unknown', reason: 'Reconciling' },
        { type: 'Stalled', status: 'True', reason: 'InvalidSpec', message: 'size "small" is not offered' },
      ],
    };
    const health = objectHealth({ ...obj, status });
    expect(health.status).toBe('Degraded');
    expect(health.message).toContain('Widget green: condition Stalled is True (InvalidSpec)');
  });

  it('uses Available when an object has no Ready condition', () => {
    const obj = loadObject('health/custom-resource-no-status.yaml');
    const status = { conditions: [{ type: 'Available', status: 'False', reason: 'NoEndpoints' }] };
    expect(objectHealth({ ...obj, status })).toEqual({
      status: 'Degraded',
      message: 'Widget green: condition Available is False (NoEndpoints)',
    });
  });

  it('ignores conditions it cannot read instead of failing', () => {
    const obj = loadObject('health/custom-resource-no-status.yaml');
    const status = { conditions: [null, 'Ready', { type: 'Ready', status: 'maybe' }] };
    expect(objectHealth({ ...obj, status })).toEqual({ status: 'Healthy' });
  });
});
