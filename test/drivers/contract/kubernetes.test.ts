import { describe } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { renderManifests } from '../kubernetes/driver-fixture.js';
import { driverContract } from './suite.js';

/** The kubernetes driver on a real control plane: a ConfigMap and a Deployment, `kubectl delete` behind its back. */
const configMap = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { greeting: "${value}" }\n`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx:1.27 }] }
`;

describe.skipIf(kubeMissing !== undefined)('kubernetes', () => {
  const plane = useControlPlane();
  driverContract('kubernetes', async () => {
    const created = await plane().kubectl(['create', 'namespace', 'contract']);
    if (created.code !== 0) throw new Error(created.stderr);
    const one = (app: string, file: string, text: string) => {
      const [resource] = renderManifests(app, 'prod', 'contract', { [file]: text });
      if (!resource) throw new Error(`${file} renders nothing`);
      return resource;
    };
    return {
      driver: () =>
        createKubernetesDriver({
          target: 'prod',
          options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test', namespace: 'contract' },
          stateDir: '/nonexistent',
          log: silentLogger,
          env: {},
        }),
      resources: (app) => ({
        first: one(app, 'settings.yaml', configMap('hello')),
        firstChanged: one(app, 'settings.yaml', configMap('bonjour')),
        second: one(app, 'web.yaml', deployment),
      }),
      disturb: async (r) => {
        const deleted = await plane().kubectl(['-n', r.namespace, 'delete', 'configmap', r.metadata.name]);
        if (deleted.code !== 0) throw new Error(deleted.stderr);
      },
    };
  });
});
