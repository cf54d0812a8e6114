import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver, DriverEvent } from '../../../src/core/index.js';
import { createDockerDriver } from '../../../src/drivers/docker/index.js';
import { applyContext, dockerDeps, dockerDesired } from '../../support/docker.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { waitFor } from '../../support/wait-for.js';

const sleeper = (extra: Record<string, unknown> = {}) => ({
  command: ['sleep', '3600'],
  stopSignal: 'SIGKILL',
  stopTimeoutSeconds: 1,
  ...extra,
});

describe.skipIf(podmanSkipReason !== undefined)(
  'docker driver: drift, self-heal and ownership on Podman',
  () => {
    const podman = usePodman();
    let driver: Driver;
    let events: DriverEvent[];
    let unwatch: () => void;

    beforeEach(async () => {
      driver = createDockerDriver(dockerDeps(podman()));
      await driver.start();
      events = [];
      unwatch = driver.watch?.((event) => events.push(event)) ?? (() => {});
    });
    afterEach(async () => {
      unwatch();
      await driver.stop();
      await podman().reset();
    });

    const containersOf = async (key: string) =>
      podman().docker.listContainers({ all: true, filters: { label: [`wheelhouse.resource=${key}`] } });

    it('reports a container removed by hand as drift, fires a watch event, and heals on apply', async () => {
      const worker = dockerDesired('Container', 'worker', { image: podman().image, ...sleeper() });
      await driver.apply(worker, applyContext());
      const [container] = await containersOf(worker.key);
      expect(events).toEqual([]);

      await podman()
        .docker.getContainer(container?.Id ?? '')
        .remove({ force: true });

      // A forced removal kills first: the first event may report the exit, a later one the removal.
      const event = await waitFor('a watch event', () => events.find((e) => e.key === worker.key));
      expect(event).toEqual({
        app: 'shop',
        key: worker.key,
        reason: expect.stringMatching(/shop-worker-0-\w+ (was removed|exited with code 137)/),
      });
      const live = await waitFor('the removal to show', async () => {
        const resources = await driver.observe('shop');
        return resources[0]?.health.status === 'Missing' ? resources : undefined;
      });
      expect(live).toHaveLength(1);
      expect(live[0]).toMatchObject({ key: worker.key, spec: worker.spec, health: { status: 'Missing' } });
      expect(live[0]?.drift).toMatch(/removed outside Wheelhouse/);

      await driver.apply(worker, applyContext());
      expect(await containersOf(worker.key)).toHaveLength(1);
      const healed = await driver.observe('shop');
      expect(healed[0]?.drift).toBeUndefined();
      await waitFor(
        'the new container to count as healthy',
        async () => (await driver.health('shop', worker.key)).status === 'Healthy',
      );
    });

    it('reports a container stopped by hand as drift and restarts it on apply', async () => {
      const worker = dockerDesired('Container', 'worker', { image: podman().image, ...sleeper() });
      await driver.apply(worker, applyContext());
      const [container] = await containersOf(worker.key);
      await podman()
        .docker.getContainer(container?.Id ?? '')
        .stop({ t: 1 });

      const event = await waitFor('a watch event', () => events.find((e) => e.key === worker.key));
      expect(event.reason).toMatch(/stopped|exited/);
      const live = await waitFor('drift in observe', async () => {
        const [resource] = await driver.observe('shop');
        return resource?.drift ? resource : undefined;
      });
      expect(live.drift).toMatch(/stopped by hand|not running/);
      expect(live.health.status).toBe('Degraded');

      await driver.apply(worker, applyContext());
      const after = await containersOf(worker.key);
      expect(after).toHaveLength(1);
      expect(after[0]?.State).toBe('running');
      expect((await driver.observe('shop'))[0]?.drift).toBeUndefined();
    });

    it('shows a restart loop as Degraded with the last log lines', async () => {
      const crashing = dockerDesired('Container', 'crashy', {
        image: podman().image,
        command: [
          'sh',
          '-c',
          'echo "starting crashy"; echo "fatal: cannot open database" >&2; sleep 0.5; exit 4',
        ],
        restart: 'always',
        stopSignal: 'SIGKILL',
        stopTimeoutSeconds: 1,
      });
      // A new container counts as applied once it runs; whether the apply already saw it exit
      // depends on timing. Either way its health turns Degraded with the logs.
      const applied = await driver.apply(crashing, applyContext()).then(
        () => undefined,
        (err: unknown) => String(err),
      );
      if (applied !== undefined)
        expect(applied).toMatch(/did not become healthy[\s\S]*fatal: cannot open database/);
      const health = await waitFor('Degraded health', async () => {
        const h = await driver.health('shop', crashing.key);
        return h.status === 'Degraded' && /restarting in a loop/.test(h.message ?? '') ? h : undefined;
      });
      expect(health.message).toContain('fatal: cannot open database');
      const [live] = await driver.observe('shop');
      expect(live?.health.status).toBe('Degraded');
      expect(live?.health.message).toContain('fatal: cannot open database');
      await waitFor('a watch event for the loop', () => events.find((e) => e.key === crashing.key));
    });

    it('shows a failing healthcheck as Degraded', async () => {
      const sick = dockerDesired('Container', 'sick', {
        image: podman().image,
        ...sleeper(),
        healthcheck: {
          test: ['CMD-SHELL', 'echo "db not ready"; exit 1'],
          intervalSeconds: 1,
          timeoutSeconds: 2,
          retries: 1,
        },
      });
      await expect(driver.apply(sick, applyContext())).rejects.toThrow(
        /healthcheck failing[\s\S]*db not ready/,
      );
      const [live] = await driver.observe('shop');
      expect(live?.health).toMatchObject({
        status: 'Degraded',
        message: expect.stringContaining('db not ready'),
      });
    });

    it('treats a container that ran to completion as healthy, not drifted', async () => {
      const once = dockerDesired('Container', 'migrate', {
        image: podman().image,
        command: ['sh', '-c', 'echo migrated'],
      });
      await driver.apply(once, applyContext());
      const live = await waitFor('the one-shot to finish', async () => {
        const [resource] = await driver.observe('shop');
        return resource?.health.status === 'Healthy' ? resource : undefined;
      });
      expect(live?.drift).toBeUndefined();
      expect(live?.health).toMatchObject({
        status: 'Healthy',
        message: expect.stringContaining('ran to completion'),
      });
      const before = (await containersOf(once.key)).map((c) => c.Id);
      await driver.apply(once, applyContext());
      expect((await containersOf(once.key)).map((c) => c.Id)).toEqual(before);
    });

    it('with wheelhouse/ready: completed, returns only once a one-shot container has finished', async () => {
      const migrate = dockerDesired(
        'Container',
        'migrate',
        { image: podman().image, command: ['sh', '-c', 'echo migrating; sleep 2; echo done'] },
        { annotations: { 'wheelhouse/ready': 'completed' } },
      );
      await driver.apply(migrate, applyContext());
      const [container] = await containersOf(migrate.key);
      expect(['exited', 'stopped']).toContain(container?.State); // Podman says either
      const inspect = await podman()
        .docker.getContainer(container?.Id ?? '')
        .inspect();
      expect(inspect.State.ExitCode).toBe(0);

      const failing = dockerDesired(
        'Container',
        'seed',
        { image: podman().image, command: ['sh', '-c', 'sleep 1; echo "seed data missing" >&2; exit 3'] },
        { annotations: { 'wheelhouse/ready': 'completed' } },
      );
      await expect(driver.apply(failing, applyContext())).rejects.toThrow(
        /exited with code 3[\s\S]*seed data missing/,
      );
    });

    it('a driver started again on the same host sees the same containers and touches nothing', async () => {
      const worker = dockerDesired('Container', 'worker', {
        image: podman().image,
        ...sleeper({ replicas: 2 }),
      });
      const net = dockerDesired('Network', 'backend', {});
      await driver.apply(net, applyContext());
      await driver.apply(worker, applyContext());
      await waitFor(
        'the replicas to count as healthy',
        async () => (await driver.health('shop', worker.key)).status === 'Healthy',
      );
      const before = await driver.observe('shop');
      const ids = (await containersOf(worker.key)).map((c) => c.Id).sort();
      await driver.stop();

      const touched: string[] = [];
      const stream = await podman().docker.getEvents({
        filters: { label: ['wheelhouse.app=shop'], type: ['container'] },
      });
      stream.on('data', (chunk: Buffer) => touched.push(chunk.toString()));
      try {
        driver = createDockerDriver(dockerDeps(podman()));
        await driver.start();
        expect(await driver.observe('shop')).toEqual(before);
        await driver.apply(net, applyContext());
        await driver.apply(worker, applyContext());
        expect((await containersOf(worker.key)).map((c) => c.Id).sort()).toEqual(ids);
        expect(touched).toEqual([]);
      } finally {
        (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
      }
    });

    it('follows the engine through a restart of its API service', async () => {
      const worker = dockerDesired('Container', 'worker', { image: podman().image, ...sleeper() });
      await driver.apply(worker, applyContext());
      await waitFor(
        'the container to count as healthy',
        async () => (await driver.health('shop', worker.key)).status === 'Healthy',
      );
      const before = await driver.observe('shop');

      await podman().restartEngine();
      // The event stream reconnects and the cache is read again; then events flow as before.
      const after = await waitFor('observe to answer again', () => driver.observe('shop'));
      expect(after).toEqual(before);
      const [container] = await containersOf(worker.key);
      await podman()
        .docker.getContainer(container?.Id ?? '')
        .remove({ force: true });
      const event = await waitFor('a watch event after the reconnect', () =>
        events.find((e) => e.key === worker.key),
      );
      expect(event.reason).toMatch(/was removed/);
    });

    it('observes and prunes only its own labelled objects of this app and target', async () => {
      const docker = podman().docker;
      const stranger = await docker.createContainer({
        name: 'stranger',
        Image: podman().image,
        Cmd: ['sleep', '3600'],
        HostConfig: { NetworkMode: 'host' },
      });
      await stranger.start();
      const otherTarget = createDockerDriver(dockerDeps(podman(), { target: 'elsewhere' }));
      await otherTarget.start();
      try {
        const mine = dockerDesired('Container', 'worker', { image: podman().image, ...sleeper() });
        const otherApp = dockerDesired(
          'Container',
          'worker',
          { image: podman().image, ...sleeper() },
          { app: 'blog' },
        );
        const otherTargets = dockerDesired(
          'Container',
          'worker',
          { image: podman().image, ...sleeper() },
          { target: 'elsewhere', namespace: 'shop2' },
        );
        await driver.apply(mine, applyContext());
        await driver.apply(otherApp, applyContext('blog'));
        await otherTarget.apply(otherTargets, applyContext());

        const live = await driver.observe('shop');
        expect(live.map((r) => r.key)).toEqual([mine.key]);
        for (const resource of live) await driver.remove(resource, applyContext());

        const left = await docker.listContainers({ all: true });
        const names = left.map((c) => c.Names[0]?.replace(/^\//, '') ?? '').sort();
        expect(names).toHaveLength(3);
        expect(names).toContain('stranger');
        expect(names.some((n) => n.startsWith('blog-worker-0-'))).toBe(true);
        expect(names.some((n) => n.startsWith('shop2-worker-0-'))).toBe(true);
        expect(await driver.observe('shop')).toEqual([]);
        expect((await driver.observe('blog')).map((r) => r.key)).toEqual([otherApp.key]);
      } finally {
        await otherTarget.stop();
      }
    });

    it('teardown removes this target’s containers and keeps volumes', async () => {
      const data = dockerDesired('Volume', 'data', {});
      const worker = dockerDesired('Container', 'worker', {
        image: podman().image,
        ...sleeper(),
        volumes: [{ type: 'volume', source: 'data', target: '/data' }],
      });
      await driver.apply(data, applyContext());
      await driver.apply(worker, applyContext());
      await driver.teardown?.();
      expect(await containersOf(worker.key)).toEqual([]);
      const volumes = await podman().docker.listVolumes({ filters: { label: ['wheelhouse.app=shop'] } });
      expect(volumes.Volumes.map((v) => v.Name)).toEqual(['shop_data']);
      expect(events).toEqual([]);
    });
  },
);
