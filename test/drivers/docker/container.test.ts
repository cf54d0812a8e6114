import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Driver, LogLine } from '../../../src/core/index.js';
import { createDockerDriver } from '../../../src/drivers/docker/index.js';
import { applyContext, dockerDeps, dockerDesired } from '../../support/docker.js';
import { podmanSkipReason, usePodman } from '../../support/podman.js';
import { freePort } from '../../support/ports.js';
import { waitFor } from '../../support/wait-for.js';

/** A web server whose page says $GREETING (written at start), on `port` inside the container. */
function greeter(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    command: [
      'sh',
      '-c',
      `mkdir -p /tmp/www && echo "$GREETING" > /tmp/www/index.html && exec httpd -f -p ${port} -h /tmp/www`,
    ],
    env: { GREETING: 'hello' },
    stopSignal: 'SIGKILL',
    stopTimeoutSeconds: 1,
    healthcheck: {
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}/`],
      intervalSeconds: 1,
      timeoutSeconds: 2,
      retries: 3,
    },
    ...extra,
  };
}

async function text(url: string): Promise<string> {
  const response = await fetch(url);
  return (await response.text()).trim();
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe.skipIf(podmanSkipReason !== undefined)('docker driver: containers on Podman', () => {
  const podman = usePodman();
  let driver: Driver;

  beforeEach(async () => {
    driver = createDockerDriver(dockerDeps(podman(), { env: { WEB_TOKEN: 'tok-9f8e7d-secret' } }));
    await driver.start();
  });
  afterEach(async () => {
    await driver.stop();
    await podman().reset();
  });

  const ids = async (key: string): Promise<string[]> => {
    const list = await podman().docker.listContainers({
      all: true,
      filters: { label: [`wheelhouse.resource=${key}`] },
    });
    return list.map((c) => c.Id).sort();
  };

  it('converges a container with a published port, observes it, and removes it', async () => {
    const port = await freePort();
    const web = dockerDesired('Container', 'web', {
      image: podman().image,
      ...greeter(8080),
      ports: [{ containerPort: 8080, hostPort: port }],
    });
    const ctx = applyContext();
    const outcome = await driver.apply(web, ctx);
    expect(await text(`http://127.0.0.1:${port}/`)).toBe('hello');
    const image = await podman().docker.getImage(podman().image).inspect();
    expect(outcome.facts).toEqual({
      image: podman().image,
      imageId: image.Id,
      repoDigest: expect.stringMatching(/wh-test\/busybox@sha256:[0-9a-f]{64}$/),
    });
    const facts = outcome.facts as { repoDigest?: string } | undefined;
    expect(image.RepoDigests).toContain(facts?.repoDigest);
    expect(ctx.messages).toEqual(['web: starting replica 1/1', 'web: replica 1/1 healthy']);
    const live = await driver.observe('shop');
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      key: web.key,
      kind: 'Container',
      name: 'web',
      namespace: 'shop',
      app: 'shop',
    });
    expect(live[0]?.spec).toEqual(web.spec);
    expect(live[0]?.drift).toBeUndefined();
    expect(live[0]?.health).toEqual({ status: 'Healthy' });
    expect(await driver.health('shop', web.key)).toEqual({ status: 'Healthy' });
    expect(await driver.observe('other-app')).toEqual([]);

    const [id] = await ids(web.key);
    const inspect = await podman()
      .docker.getContainer(id ?? '')
      .inspect();
    expect(inspect.HostConfig.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }],
    });
    expect(inspect.Config.Labels).toMatchObject({
      'wheelhouse.app': 'shop',
      'wheelhouse.resource': web.key,
      'wheelhouse.target': 'box',
      'wheelhouse.spec-hash': expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    await driver.remove(live[0] ?? expect.fail('no live resource'), applyContext());
    expect(await ids(web.key)).toEqual([]);
    expect(await driver.observe('shop')).toEqual([]);
    expect(await driver.health('shop', web.key)).toMatchObject({ status: 'Missing' });
  });

  it('leaves an unchanged container untouched and recreates a changed one', async () => {
    const port = await freePort();
    const spec = { image: podman().image, ...greeter(port), networkMode: 'host' };
    const web = dockerDesired('Container', 'web', spec);
    await driver.apply(web, applyContext());
    const before = await ids(web.key);
    expect(before).toHaveLength(1);

    const again = applyContext();
    await driver.apply(dockerDesired('Container', 'web', spec), again);
    expect(await ids(web.key)).toEqual(before);
    expect(again.messages).toEqual([]);

    const changed = dockerDesired('Container', 'web', { ...spec, env: { GREETING: 'bonjour' } });
    const ctx = applyContext();
    await driver.apply(changed, ctx);
    const after = await ids(web.key);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(await text(`http://127.0.0.1:${port}/`)).toBe('bonjour');
    expect(ctx.messages[0]).toBe('web: replacing replica 1/1');
    const live = await driver.observe('shop');
    expect(live[0]?.spec).toEqual(changed.spec);
    expect(live[0]?.drift).toBeUndefined();
  });

  it('rolls replicas one at a time, start-first without host ports, and scales down from the top', async () => {
    const spec = { image: podman().image, ...greeter(8080), replicas: 3 };
    await driver.apply(dockerDesired('Container', 'api', spec), applyContext());
    const key = dockerDesired('Container', 'api', spec).key;
    expect(await ids(key)).toHaveLength(3);

    const seen: string[] = [];
    const stream = await podman().docker.getEvents({
      filters: { label: [`wheelhouse.resource=${key}`], type: ['container'] },
    });
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> } };
        if (event.Action === 'start' || event.Action === 'remove') {
          seen.push(`${event.Action} ${event.Actor.Attributes['wheelhouse.replica']}`);
        }
      }
    });
    try {
      const ctx = applyContext();
      await driver.apply(dockerDesired('Container', 'api', { ...spec, env: { GREETING: 'v2' } }), ctx);
      await waitFor('the last removal event', () => seen.length >= 6);
      // Each new replica started (and became healthy) before its old one was removed, one at a time.
      expect(seen).toEqual(['start 0', 'remove 0', 'start 1', 'remove 1', 'start 2', 'remove 2']);
      expect(ctx.messages).toEqual([
        'api: replacing replica 1/3',
        'api: replica 1/3 healthy',
        'api: replacing replica 2/3',
        'api: replica 2/3 healthy',
        'api: replacing replica 3/3',
        'api: replica 3/3 healthy',
      ]);
    } finally {
      (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    }

    await driver.apply(
      dockerDesired('Container', 'api', { ...spec, env: { GREETING: 'v2' }, replicas: 1 }),
      applyContext(),
    );
    const left = await podman().docker.listContainers({
      all: true,
      filters: { label: [`wheelhouse.resource=${key}`] },
    });
    expect(left.map((c) => c.Labels['wheelhouse.replica'])).toEqual(['0']);
    const live = await driver.observe('shop');
    expect(live[0]?.drift).toBeUndefined();
  });

  it('stops the old container first when the new one needs the same host port', async () => {
    const port = await freePort();
    const spec = {
      image: podman().image,
      ...greeter(8080),
      ports: [{ containerPort: 8080, hostPort: port }],
    };
    await driver.apply(dockerDesired('Container', 'web', spec), applyContext());
    const [oldId] = await ids(dockerDesired('Container', 'web', spec).key);
    const order: string[] = [];
    const stream = await podman().docker.getEvents({
      filters: { label: ['wheelhouse.app=shop'], type: ['container'] },
    });
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as { Action: string; id: string };
        if (['die', 'start'].includes(event.Action))
          order.push(`${event.Action} ${event.id === oldId ? 'old' : 'new'}`);
      }
    });
    try {
      await driver.apply(
        dockerDesired('Container', 'web', { ...spec, env: { GREETING: 'next' } }),
        applyContext(),
      );
      expect(await text(`http://127.0.0.1:${port}/`)).toBe('next');
      await waitFor('the new start event', () => order.includes('start new'));
      expect(order.indexOf('die old')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('die old')).toBeLessThan(order.indexOf('start new'));
    } finally {
      (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    }
  });

  it('keeps the old container when the new spec never becomes healthy, and says why with its logs', async () => {
    const port = await freePort();
    const spec = { image: podman().image, ...greeter(port), networkMode: 'host' };
    const web = dockerDesired('Container', 'web', spec);
    await driver.apply(web, applyContext());
    const before = await ids(web.key);

    const broken = dockerDesired('Container', 'web', {
      ...spec,
      command: ['sh', '-c', 'echo "config file /etc/app.toml missing" >&2; exit 3'],
    });
    await expect(driver.apply(broken, applyContext())).rejects.toThrow(
      /replica 1\/1 \(shop-web-0-[0-9a-f]{8}\) did not become healthy: .*exited with code 3.*The previous container keeps running[\s\S]*config file \/etc\/app.toml missing/,
    );
    expect(await ids(web.key)).toEqual(before);
    const live = await driver.observe('shop');
    expect(live[0]?.spec).toEqual(web.spec);
    // Stopped first (fixed port on the host network), it was started again: healthy once its check
    // passes, and answering with the old spec.
    await waitFor(
      'the old container healthy again',
      async () => (await driver.health('shop', web.key)).status === 'Healthy',
    );
    expect(
      await waitFor('the old container to answer', () =>
        text(`http://127.0.0.1:${port}/`).catch(() => undefined),
      ),
    ).toBe('hello');
  });

  it('passes secretEnv values to the container only, and names a missing variable', async () => {
    const port = await freePort();
    const web = dockerDesired('Container', 'web', {
      image: podman().image,
      ...greeter(port, { env: {} }),
      networkMode: 'host',
      secretEnv: { GREETING: { fromEnv: 'WEB_TOKEN' } },
    });
    const ctx = applyContext();
    const outcome = await driver.apply(web, ctx);
    expect(await text(`http://127.0.0.1:${port}/`)).toBe('tok-9f8e7d-secret');
    const [id] = await ids(web.key);
    const inspect = await podman()
      .docker.getContainer(id ?? '')
      .inspect();
    expect(JSON.stringify(inspect.Config.Labels)).not.toContain('tok-9f8e7d-secret');
    expect(JSON.stringify(await driver.observe('shop'))).not.toContain('tok-9f8e7d-secret');
    expect(JSON.stringify(outcome)).not.toContain('tok-9f8e7d-secret');
    expect(ctx.messages.join('\n')).not.toContain('tok-9f8e7d-secret');

    const missing = dockerDesired('Container', 'db', {
      image: podman().image,
      command: ['sleep', '600'],
      secretEnv: { PASSWORD: { fromEnv: 'DB_PASSWORD' } },
    });
    await expect(driver.apply(missing, applyContext())).rejects.toThrow(
      /box\/Container\/shop\/db: secretEnv needs PASSWORD \(from DB_PASSWORD\), not set in the engine's environment/,
    );
  });

  it('refuses an image it cannot get, naming it', async () => {
    const web = dockerDesired('Container', 'web', {
      image: '127.0.0.1:1/wh-test/absent:1',
      command: ['true'],
    });
    await expect(driver.apply(web, applyContext())).rejects.toThrow(/127\.0\.0\.1:1\/wh-test\/absent:1/);
    expect(await ids(web.key)).toEqual([]);
  });

  it('reads logs of every replica (stdout and stderr) and follows new lines', async () => {
    const job = dockerDesired('Container', 'worker', {
      image: podman().image,
      command: [
        'sh',
        '-c',
        'echo ready; echo "warn: slow" >&2; i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.3; done',
      ],
      replicas: 2,
      stopSignal: 'SIGKILL',
      stopTimeoutSeconds: 1,
    });
    await driver.apply(job, applyContext());
    await waitFor('some ticks', async () => {
      const lines = await collect(driver.logs('shop', job.key, { tail: 100, follow: false }));
      return lines.filter((l) => l.text.startsWith('tick')).length >= 4;
    });
    const lines = await collect(driver.logs('shop', job.key, { tail: 100, follow: false }));
    const sources = new Set(lines.map((l) => l.source));
    expect(sources.size).toBe(2);
    expect(lines).toContainEqual(expect.objectContaining({ stream: 'stderr', text: 'warn: slow' }));
    expect(lines).toContainEqual(expect.objectContaining({ stream: 'stdout', text: 'ready' }));
    expect(lines.every((l) => typeof l.at === 'string')).toBe(true);
    expect(await collect(driver.logs('shop', job.key, { tail: 3, follow: false }))).toHaveLength(3);

    const controller = new AbortController();
    const followed: LogLine[] = [];
    const started = Date.now();
    for await (const line of driver.logs('shop', job.key, {
      tail: 0,
      follow: true,
      signal: controller.signal,
    })) {
      followed.push(line);
      if (followed.filter((l) => l.text.startsWith('tick')).length >= 3) controller.abort();
      if (Date.now() - started > 60_000) break;
    }
    expect(followed.filter((l) => l.text.startsWith('tick')).length).toBeGreaterThanOrEqual(3);
    expect(followed.some((l) => l.text === 'ready')).toBe(false);

    await expect(
      collect(driver.logs('shop', 'box/Container/shop/nothing', { tail: 5, follow: false })),
    ).rejects.toThrow(/has no containers on target box/);
  });
});
