import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver, DriverEvent } from '../../../src/core/index.js';
import { kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { waitFor } from '../../support/wait-for.js';
import { applyAll, renderManifests, startKubeDriver } from './driver-fixture.js';

/**
 * An Ingress's health reads the cluster's IngressClasses (watched once an Ingress is managed): an
 * Ingress whose class is installed waits for its controller's address; one whose class nobody
 * installed is Healthy without an address, saying why.
 */
const ingress = (name: string, className?: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ${name} }
spec:
  ${className ? `ingressClassName: ${className}` : ''}
  defaultBackend: { service: { name: web, port: { number: 80 } } }
`;

describe.skipIf(kubeMissing !== undefined)('kubernetes driver: Ingress health and IngressClasses', () => {
  const plane = useControlPlane();
  let driver: Driver;
  const events: DriverEvent[] = [];

  beforeAll(async () => {
    driver = await startKubeDriver(plane().kubeconfig, 'prod', 'edge');
    driver.watch?.((event) => events.push(event));
    await applyAll(
      driver,
      renderManifests('edge', 'prod', 'edge', {
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: edge }\n',
        'plain.yaml': ingress('plain'),
        'parked.yaml': ingress('parked', 'parked'),
      }),
    );
  }, 60_000);

  afterAll(() => driver?.stop());

  it('is Healthy without an address while no IngressClass is installed', async () => {
    expect(await driver.health('edge', 'prod/Ingress.networking.k8s.io/edge/plain')).toEqual({
      status: 'Healthy',
      message: expect.stringContaining('no default IngressClass, so no controller is expected'),
    });
    expect(await driver.health('edge', 'prod/Ingress.networking.k8s.io/edge/parked')).toEqual({
      status: 'Healthy',
      message: expect.stringContaining('IngressClass parked is not known'),
    });
  });

  it("waits for the address once the Ingress's class is installed, and for the default class", async () => {
    const before = events.length;
    const installed = await plane().kubectl(
      ['apply', '-f', '-'],
      `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: parked
  annotations: { ingressclass.kubernetes.io/is-default-class: "true" }
spec: { controller: example.com/nobody-runs-this }
`,
    );
    expect(installed.code, installed.stderr).toBe(0);
    for (const name of ['parked', 'plain']) {
      const health = await waitFor(`Ingress ${name} to wait for its controller`, async () => {
        const h = await driver.health('edge', `prod/Ingress.networking.k8s.io/edge/${name}`);
        return h.status === 'Progressing' && h;
      });
      expect(health.message).toContain(
        `Ingress ${name}: waiting for a load balancer address from the controller of IngressClass parked`,
      );
    }
    expect((await driver.observe('edge')).find((r) => r.name === 'parked')?.health.status).toBe(
      'Progressing',
    );
    // The Ingresses did not change, their class did: the driver says so for each, so the engine
    // judges their health again at once instead of at its next poll.
    const told = await waitFor('both Ingresses to be announced', async () => {
      const seen = events.slice(before).filter((e) => e.reason === 'IngressClass parked appeared');
      return seen.length >= 2 && seen;
    });
    expect(told.map((e) => [e.app, e.key]).sort()).toEqual([
      ['edge', 'prod/Ingress.networking.k8s.io/edge/parked'],
      ['edge', 'prod/Ingress.networking.k8s.io/edge/plain'],
    ]);
  });
});
