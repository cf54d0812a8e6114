import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver, DriverEvent, LogLine } from '../../../src/core/index.js';
import { createDockerDriver } from '../../../src/drivers/docker/index.js';
import { applyContext, dockerDeps, dockerDesired } from '../../support/docker.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { waitFor } from '../../support/wait-for.js';

async function collect(lines: AsyncIterable<LogLine>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line.text);
  return out;
}

describe.skipIf(podmanSkipReason !== undefined)('docker driver: networks and volumes on Podman', () => {
  const podman = usePodman();
  let driver: Driver;
  let events: DriverEvent[];

  beforeEach(async () => {
    driver = createDockerDriver(dockerDeps(podman()));
    await driver.start();
    events = [];
    driver.watch?.((event) => events.push(event));
  });
  afterEach(async () => {
    await driver.stop();
    await podman().reset();
  });

  /** A server writing to the volume and serving it; a client fetching it by the server's name. */
  const stack = (networkSpec: Record<string, unknown> = {}) => ({
    net: dockerDesired('Network', 'backend', networkSpec),
    data: dockerDesired('Volume', 'data', { labels: { backup: 'nightly' } }),
    api: dockerDesired('Container', 'api', {
      image: podman().image,
      command: ['sh', '-c', 'echo stored > /data/index.html && exec httpd -f -p 8080 -h /data'],
      volumes: [{ type: 'volume', source: 'data', target: '/data' }],
      networks: [{ name: 'backend', aliases: ['api-alias'] }],
      stopSignal: 'SIGKILL',
      stopTimeoutSeconds: 1,
    }),
    client: dockerDesired('Container', 'client', {
      image: podman().image,
      command: [
        'sh',
        '-c',
        'while true; do echo "api: $(wget -q -O - http://api:8080/ 2>&1)"; echo "alias: $(wget -q -O - http://api-alias:8080/ 2>&1)"; sleep 0.5; done',
      ],
      networks: [{ name: 'backend' }],
      stopSignal: 'SIGKILL',
      stopTimeoutSeconds: 1,
    }),
  });

  it('creates a network and a volume that containers use by name, observes and removes them', async () => {
    const { net, data, api, client } = stack();
    for (const resource of [net, data, api, client]) await driver.apply(resource, applyContext());

    const network = await podman().docker.getNetwork('shop_backend').inspect();
    expect(network.Labels).toMatchObject({ 'wheelhouse.app': 'shop', 'wheelhouse.resource': net.key });
    const volume = await podman().docker.getVolume('shop_data').inspect();
    expect(volume.Labels).toMatchObject({ backup: 'nightly', 'wheelhouse.resource': data.key });

    await waitFor('the client to reach the api by name and alias', async () => {
      const lines = await collect(driver.logs('shop', client.key, { tail: 20, follow: false }));
      return lines.includes('api: stored') && lines.includes('alias: stored');
    });

    const live = await driver.observe('shop');
    expect(live.map((r) => [r.kind, r.name])).toEqual([
      ['Container', 'api'],
      ['Container', 'client'],
      ['Network', 'backend'],
      ['Volume', 'data'],
    ]);
    expect(live.find((r) => r.kind === 'Network')?.spec).toEqual(net.spec);
    expect(live.find((r) => r.kind === 'Volume')?.spec).toEqual(data.spec);
    expect(await driver.health('shop', net.key)).toEqual({ status: 'Healthy' });
    expect(await driver.health('shop', data.key)).toEqual({ status: 'Healthy' });

    // Prune order: containers, then the network and the volume.
    for (const kind of ['Container', 'Network', 'Volume']) {
      for (const resource of live.filter((r) => r.kind === kind))
        await driver.remove(resource, applyContext());
    }
    expect(await driver.observe('shop')).toEqual([]);
    expect((await podman().docker.listNetworks()).map((n) => n.Name)).not.toContain('shop_backend');
    expect((await podman().docker.listVolumes()).Volumes.map((v) => v.Name)).not.toContain('shop_data');
    expect(await driver.health('shop', net.key)).toMatchObject({ status: 'Missing' });
    expect(events).toEqual([]);
  });

  it('recreates a changed network and reconnects its containers with their aliases', async () => {
    const { net, data, api, client } = stack();
    for (const resource of [net, data, api, client]) await driver.apply(resource, applyContext());
    const before = (await podman().docker.getNetwork('shop_backend').inspect()).Id;

    const changed = dockerDesired('Network', 'backend', { internal: true });
    const ctx = applyContext();
    await driver.apply(changed, ctx);
    const after = await podman().docker.getNetwork('shop_backend').inspect();
    expect(after.Id).not.toBe(before);
    expect(after.Internal).toBe(true);
    expect(ctx.messages).toEqual(['network shop_backend changed; recreating it']);
    const live = await driver.observe('shop');
    expect(live.find((r) => r.kind === 'Network')?.spec).toEqual(changed.spec);

    const mark = (await collect(driver.logs('shop', client.key, { tail: 1000, follow: false }))).length;
    await waitFor('the client to reach the api again after the network changed', async () => {
      const lines = (await collect(driver.logs('shop', client.key, { tail: 1000, follow: false }))).slice(
        mark,
      );
      return lines.includes('api: stored') && lines.includes('alias: stored');
    });
    expect(events).toEqual([]);
  });

  it('never recreates a changed volume, and keeps its data', async () => {
    const data = dockerDesired('Volume', 'data', {});
    await driver.apply(data, applyContext());
    const writer = dockerDesired(
      'Container',
      'writer',
      {
        image: podman().image,
        command: ['sh', '-c', 'echo precious > /data/file'],
        volumes: [{ type: 'volume', source: 'data', target: '/data' }],
      },
      { annotations: { 'wheelhouse/ready': 'completed' } },
    );
    await driver.apply(writer, applyContext());

    await expect(
      driver.apply(
        dockerDesired('Volume', 'data', { options: { type: 'tmpfs', device: 'tmpfs' } }),
        applyContext(),
      ),
    ).rejects.toThrow(
      /volume shop_data .* is never recreated automatically because that deletes its data.*docker volume rm shop_data/,
    );
    const reader = dockerDesired('Container', 'reader', {
      image: podman().image,
      command: ['cat', '/data/file'],
      volumes: [{ type: 'volume', source: 'data', target: '/data', readOnly: true }],
    });
    await driver.apply(reader, applyContext());
    const printed = await waitFor('the reader to print the file', async () => {
      const lines = await collect(driver.logs('shop', reader.key, { tail: 5, follow: false }));
      return lines.length > 0 ? lines : undefined;
    });
    expect(printed).toEqual(['precious']);
  });

  it('reports a volume removed by hand as drift with a watch event', async () => {
    const data = dockerDesired('Volume', 'data', {});
    await driver.apply(data, applyContext());
    await podman().docker.getVolume('shop_data').remove();
    const event = await waitFor('a watch event', () => events.find((e) => e.key === data.key));
    expect(event.reason).toBe('volume shop_data was removed outside Wheelhouse');
    const [live] = await driver.observe('shop');
    expect(live).toMatchObject({
      key: data.key,
      kind: 'Volume',
      health: { status: 'Missing' },
      drift: event.reason,
    });
    await driver.apply(data, applyContext());
    const [healed] = await driver.observe('shop');
    expect(healed?.drift).toBeUndefined();
  });

  it('refuses to take over a network or volume it does not own', async () => {
    await podman().docker.createNetwork({ Name: 'shop_backend' });
    await podman().docker.createVolume({ Name: 'shop_data' });
    await expect(driver.apply(dockerDesired('Network', 'backend', {}), applyContext())).rejects.toThrow(
      /network shop_backend already exists and is not owned by box\/Network\/shop\/backend/,
    );
    await expect(driver.apply(dockerDesired('Volume', 'data', {}), applyContext())).rejects.toThrow(
      /volume shop_data already exists and is not owned by box\/Volume\/shop\/data/,
    );
    expect(await driver.observe('shop')).toEqual([]);
  });

  it('uses external networks and volumes by their own names without owning them', async () => {
    await podman().docker.createNetwork({ Name: 'shared-net' });
    await podman().docker.createVolume({ Name: 'shared-vol' });
    const app = dockerDesired('Container', 'app', {
      image: podman().image,
      command: ['sh', '-c', 'echo external > /shared/x && sleep 3600'],
      networks: [{ name: 'shared-net', external: true }],
      volumes: [{ type: 'volume', source: 'shared-vol', external: true, target: '/shared' }],
      stopSignal: 'SIGKILL',
      stopTimeoutSeconds: 1,
    });
    await driver.apply(app, applyContext());
    const [container] = await podman().docker.listContainers({
      filters: { label: [`wheelhouse.resource=${app.key}`] },
    });
    const inspect = await podman()
      .docker.getContainer(container?.Id ?? '')
      .inspect();
    expect(Object.keys(inspect.NetworkSettings.Networks)).toEqual(['shared-net']);
    expect(inspect.Mounts.map((m) => m.Name)).toContain('shared-vol');
    expect((await driver.observe('shop')).map((r) => r.kind)).toEqual(['Container']);
  });
});
