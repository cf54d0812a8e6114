import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver, DriverEvent, ResourceNode } from '../../../src/core/index.js';
import { createDockerDriver } from '../../../src/drivers/docker/index.js';
import { applyContext, dockerDeps, dockerDesired } from '../../support/docker.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { waitFor } from '../../support/wait-for.js';

describe.skipIf(podmanSkipReason !== undefined)('docker driver: the resource tree on Podman', () => {
  const podman = usePodman();
  let driver: Driver;

  beforeAll(async () => {
    driver = createDockerDriver(dockerDeps(podman()));
    await driver.start();
  });
  afterAll(async () => {
    await driver?.stop();
    await podman().reset();
  });

  const tree = async (key: string): Promise<ResourceNode[]> =>
    (await driver.observe('shop')).find((r) => r.key === key)?.children ?? [];

  it('shows one Container row per replica with pid, restarts, last exit and healthcheck; a kill shows on its row', async () => {
    const worker = dockerDesired('Container', 'worker', {
      image: podman().image,
      command: ['sh', '-c', 'exec sleep 600'],
      replicas: 2,
      restart: 'always',
      stopSignal: 'SIGKILL',
      stopTimeoutSeconds: 1,
      healthcheck: { test: ['CMD', 'true'], intervalSeconds: 1, timeoutSeconds: 2, retries: 3 },
    });
    await driver.apply(worker, applyContext());
    const before = await waitFor('two healthy containers', async () => {
      const nodes = await tree(worker.key);
      return nodes.length === 2 && nodes.every((n) => n.health.status === 'Healthy' && n.probe)
        ? nodes
        : undefined;
    });
    expect(before.map((n) => n.kind)).toEqual(['Container', 'Container']);
    expect(before.every((n) => typeof n.pid === 'number' && n.restarts === 0 && !n.lastExit)).toBe(true);
    expect(before[0]?.probe).toBe('healthy');

    const pid = before[1]?.pid;
    if (pid === undefined) throw new Error('replica 2 has no pid');
    const events: DriverEvent[] = [];
    const unwatch = driver.watch?.((event) => events.push(event));
    process.kill(pid, 'SIGKILL');
    const after = await waitFor(
      'replica 2 restarted by the engine',
      async () => {
        const nodes = await tree(worker.key);
        const r = nodes[1];
        // The exit code comes with the engine's `die` event, which may land after the restart shows.
        return r?.pid !== undefined && r.pid !== pid && (r.restarts ?? 0) >= 1 && r.lastExit !== undefined
          ? nodes
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(after[1]?.name).toBe(before[1]?.name);
    expect(after[1]?.lastExit).toBe('exited with code 137');
    expect(after[0]).toMatchObject({ pid: before[0]?.pid, restarts: 0 });
    // The engine's restart reaches the app's activity as a Process's supervisor restart does.
    const restart = await waitFor('a restart event', async () => events.find((e) => e.restart)?.restart);
    expect(restart).toEqual({ replica: before[1]?.name, after: 'exited with code 137', count: 1 });
    unwatch?.();
  });
});
