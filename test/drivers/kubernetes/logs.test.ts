import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver, LogLine } from '../../../src/core/index.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { waitFor } from '../../support/wait-for.js';
import { applyAll, renderManifests, startKubeDriver } from './driver-fixture.js';

/**
 * `logs` on a cluster whose Pods have none: on kwok's fake nodes no container runs, and a Pod no
 * node fits never ran. Either way the error names the Pod and the node, says why and what to do,
 * at once rather than after waiting on a kubelet that does not exist.
 */
const deployment = (name: string, nodeSelector = '') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      ${nodeSelector ? `nodeSelector: { ${nodeSelector} }` : ''}
      containers: [{ name: main, image: nginx:1.27 }]
`;

const readAll = async (lines: AsyncIterable<LogLine>) => {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
};

describe.skipIf(kubeMissing !== undefined)('kubernetes driver: logs where the cluster has none', () => {
  const plane = useControlPlane();
  let driver: Driver;

  beforeAll(async () => {
    driver = await startKubeDriver(plane().kubeconfig, 'prod', 'logs');
    await applyAll(
      driver,
      renderManifests('logs', 'prod', 'logs', {
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: logs }\n',
        'web.yaml': deployment('web'),
        'nowhere.yaml': deployment('nowhere', 'disk: none-has-this'),
      }),
    );
    await waitFor('the Pods of web to run on a kwok node', async () => {
      const web = (await driver.observe('logs')).find((r) => r.name === 'web');
      return web?.health.status === 'Healthy';
    });
    await waitFor('the Pods of nowhere to exist', async () => {
      const nowhere = (await driver.observe('logs')).find((r) => r.name === 'nowhere');
      return (nowhere?.children?.[0]?.children.length ?? 0) > 0;
    });
  }, 90_000);

  afterAll(() => driver?.stop());

  const kwokMessage =
    /^Pod logs\/web-[a-z0-9]+-[a-z0-9]+ runs on node kwok-node-0, a kwok fake node: no container runs there, so there are no logs to read; read logs on a cluster with real nodes/;

  it('says a Pod on a kwok node has no logs, naming the Pod and the node', async () => {
    const key = 'prod/Deployment.apps/logs/web';
    await expect(readAll(driver.logs('logs', key, { tail: 10, follow: false }))).rejects.toThrow(kwokMessage);
    const following = new AbortController();
    await expect(
      readAll(driver.logs('logs', key, { tail: 10, follow: true, signal: following.signal })),
    ).rejects.toThrow(kwokMessage);
    following.abort();
  });

  it('says a Pod that no node fits has not run yet, and where to look', async () => {
    await expect(
      readAll(driver.logs('logs', 'prod/Deployment.apps/logs/nowhere', { tail: 10, follow: false })),
    ).rejects.toThrow(
      /^Pod logs\/nowhere-[a-z0-9]+-[a-z0-9]+ is not running on a node yet, so it has no logs; see its health for why/,
    );
  });
});
