import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../src/core/index.js';
import { containerName, createOptions } from '../../../src/drivers/docker/container-config.js';
import { judgeContainer } from '../../../src/drivers/docker/container-health.js';
import type { ContainerState } from '../../../src/drivers/docker/container-state.js';
import { registryOf, withDefaultTag } from '../../../src/drivers/docker/images.js';
import { containerSchema } from '../../../src/drivers/docker/kinds/index.js';
import { LABEL, ownershipLabels, readOwnedLabels, specHash } from '../../../src/drivers/docker/labels.js';
import { containerLive } from '../../../src/drivers/docker/live-resources.js';
import { LogDemuxer, mergeByTime } from '../../../src/drivers/docker/logs.js';

const NOW = Date.parse('2030-01-01T00:10:00Z');

function spec(input: Record<string, unknown>) {
  return containerSchema.parse({ image: 'app:1', ...input });
}

function state(
  overrides: Partial<ContainerState> = {},
  specInput: Record<string, unknown> = {},
): ContainerState {
  const s = spec(specInput);
  const owned = readOwnedLabels({
    ...ownershipLabels({ target: 'box', app: 'shop', key: 'box/Container/shop/web', spec: s }),
    [LABEL.replica]: '0',
  });
  if (!owned) throw new Error('labels');
  return {
    id: 'c0ffee000000000000',
    name: 'shop-web-0-abcdef12',
    owned,
    status: 'running',
    running: true,
    pid: 4321,
    exitCode: 0,
    oomKilled: false,
    startedAt: '2030-01-01T00:00:00Z',
    finishedAt: '0001-01-01T00:00:00Z',
    restartCount: 0,
    restartPolicy: 'no',
    image: 'app:1',
    imageId: 'sha256:1',
    ...overrides,
  };
}

describe('container create options', () => {
  it('maps the spec to the Engine API body, secrets only in Env', () => {
    const s = spec({
      command: ['serve', '--port', '80'],
      entrypoint: ['/bin/app'],
      env: { MODE: 'prod' },
      secretEnv: { TOKEN: { fromEnv: 'WEB_TOKEN' } },
      ports: [
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 80, hostPort: 8443, hostIp: '0.0.0.0' },
        { containerPort: 53, protocol: 'udp' },
      ],
      volumes: [
        { type: 'volume', source: 'data', target: '/data' },
        { type: 'volume', source: 'shared', external: true, target: '/shared', readOnly: true },
        { type: 'volume', target: '/cache' },
        { type: 'bind', source: '/srv/conf', target: '/conf', readOnly: true },
        { type: 'tmpfs', target: '/run', size: '1m' },
      ],
      networks: [{ name: 'backend', aliases: ['api'] }, { name: 'edge' }],
      restart: 'on-failure',
      restartMaxRetries: 5,
      memory: '256m',
      cpus: 1.5,
      user: 'nobody',
      workingDir: '/srv',
      stopSignal: 'SIGINT',
      stopTimeoutSeconds: 3,
      healthcheck: {
        test: ['CMD', 'check'],
        intervalSeconds: 2,
        timeoutSeconds: 1,
        retries: 2,
        startPeriodSeconds: 0.5,
      },
      labels: { team: 'shop' },
    });
    const ownership = ownershipLabels({ target: 'box', app: 'shop', key: 'box/Container/shop/web', spec: s });
    const options = createOptions({
      name: 'shop-web-0-12345678',
      spec: s,
      namespace: 'shop',
      resourceName: 'web',
      ownership,
      replica: 0,
      secretValues: { TOKEN: 's3cret-value' },
      image: 'app:1',
      home: '/root',
    });
    expect(options).toMatchObject({
      name: 'shop-web-0-12345678',
      Image: 'app:1',
      Cmd: ['serve', '--port', '80'],
      Entrypoint: ['/bin/app'],
      Env: ['MODE=prod', 'TOKEN=s3cret-value'],
      User: 'nobody',
      WorkingDir: '/srv',
      StopSignal: 'SIGINT',
      StopTimeout: 3,
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Healthcheck: { Test: ['CMD', 'check'], Interval: 2e9, Timeout: 1e9, Retries: 2, StartPeriod: 5e8 },
      HostConfig: {
        PortBindings: {
          '80/tcp': [
            { HostIp: '127.0.0.1', HostPort: '8080' },
            { HostIp: '0.0.0.0', HostPort: '8443' },
          ],
          '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }],
        },
        Mounts: [
          { Type: 'volume', Source: 'shop_data', Target: '/data', ReadOnly: false },
          { Type: 'volume', Source: 'shared', Target: '/shared', ReadOnly: true },
          { Type: 'volume', Source: '', Target: '/cache', ReadOnly: false },
          { Type: 'bind', Source: '/srv/conf', Target: '/conf', ReadOnly: true },
          {
            Type: 'tmpfs',
            Source: '',
            Target: '/run',
            TmpfsOptions: { SizeBytes: 1024 * 1024, Mode: 0o1777 },
          },
        ],
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
        NetworkMode: 'shop_backend',
        Memory: 256 * 1024 * 1024,
        NanoCpus: 1.5e9,
      },
      NetworkingConfig: { EndpointsConfig: { shop_backend: { Aliases: ['web', 'api'] } } },
    });
    expect(options.Labels).toMatchObject({ team: 'shop', [LABEL.app]: 'shop', [LABEL.replica]: '0' });
    expect(JSON.stringify(options.Labels)).not.toContain('s3cret-value');
    expect(options.Labels?.[LABEL.spec]).toContain('"fromEnv":"WEB_TOKEN"');
  });

  it('names containers per replica and spec', () => {
    const hash = specHash(spec({}));
    expect(containerName('shop', 'web', 2, hash)).toBe(`shop-web-2-${hash.slice(0, 8)}`);
    expect(specHash(spec({ env: { A: '1' } }))).not.toBe(hash);
    expect(specHash({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(specHash({ a: [1, { c: 3, d: 2 }], b: 1 }));
  });

  it('reads ownership labels back and notices edited spec labels', () => {
    const s = spec({});
    const labels = ownershipLabels({ target: 'box', app: 'shop', key: 'k', spec: s });
    expect(readOwnedLabels(labels)?.spec).toEqual(s);
    expect(readOwnedLabels({ ...labels, [LABEL.spec]: '{"image":"evil"}' })?.spec).toBeNull();
    expect(readOwnedLabels({ unrelated: 'x' })).toBeUndefined();
  });
});

describe('container health', () => {
  it('uses the healthcheck when there is one, else running', () => {
    expect(judgeContainer(state(), NOW)).toMatchObject({ kind: 'ready', health: { status: 'Healthy' } });
    expect(
      judgeContainer(
        state({ health: { status: 'starting', failingStreak: 0 }, healthcheckIntervalMs: 1000 }),
        NOW,
      ),
    ).toMatchObject({ kind: 'pending', health: { status: 'Progressing' } });
    expect(
      judgeContainer(
        state({
          health: { status: 'unhealthy', failingStreak: 3, lastOutput: 'connection refused' },
          healthcheckIntervalMs: 1000,
        }),
        NOW,
      ),
    ).toMatchObject({
      kind: 'failed',
      health: { status: 'Degraded', message: expect.stringContaining('connection refused') },
    });
  });

  it('without a healthcheck, counts a container Healthy once it has kept running a moment', () => {
    expect(judgeContainer(state({ runningSince: NOW - 200 }), NOW)).toMatchObject({
      kind: 'pending',
      health: { status: 'Progressing', message: expect.stringContaining('just started') },
    });
    expect(judgeContainer(state({ runningSince: NOW - 5_000 }), NOW).kind).toBe('ready');
  });

  it('tells a restart loop, a crash and a completed run apart', () => {
    const loop = judgeContainer(
      state({ restartCount: 4, exitCode: 1, startedAt: new Date(NOW - 2000).toISOString() }),
      NOW,
    );
    expect(loop).toMatchObject({
      kind: 'failed',
      health: {
        status: 'Degraded',
        message: expect.stringMatching(/restarting in a loop \(4 restarts\)/),
      },
    });
    const between = judgeContainer(
      state({ restartCount: 3, running: false, status: 'exited', exitCode: 1 }),
      NOW,
    );
    expect(between.health.message).toMatch(/restarting in a loop \(3 restarts, last exit code 1\)/);
    const recovered = judgeContainer(
      state({ restartCount: 4, startedAt: new Date(NOW - 600_000).toISOString() }),
      NOW,
    );
    expect(recovered.kind).toBe('ready');
    const crashed = judgeContainer(state({ running: false, status: 'exited', exitCode: 2 }), NOW);
    expect(crashed).toMatchObject({ kind: 'failed', drift: expect.stringContaining('exited with code 2') });
    const done = judgeContainer(state({ running: false, status: 'exited', exitCode: 0 }), NOW);
    expect(done).toMatchObject({
      kind: 'ready',
      health: { message: expect.stringContaining('ran to completion') },
    });
    const stoppedAlways = judgeContainer(
      state({ running: false, status: 'exited', exitCode: 0, restartPolicy: 'always' }),
      NOW,
    );
    expect(stoppedAlways.kind).toBe('failed');
    expect(judgeContainer(state({ running: false, status: 'paused' }), NOW).health.status).toBe('Suspended');
  });
});

describe('observed Container resources', () => {
  it('reports the applied spec, and drift for missing, stopped and extra replicas', () => {
    const three = { replicas: 3 };
    const r0 = state({}, three);
    const r1 = {
      ...state({ id: 'c1', name: 'shop-web-1-x', running: false, status: 'exited', exitCode: 137 }, three),
    };
    r1.owned = { ...r1.owned, replica: 1 };
    const extra = { ...state({ id: 'c9', name: 'shop-web-7-x' }, three) };
    extra.owned = { ...extra.owned, replica: 7 };
    const live = containerLive(
      'box/Container/shop/web',
      [r0, r1, extra],
      NOW,
      new Set(),
      new Map([['c1', ['! panic: boom']]]),
    );
    expect(live).toMatchObject({
      kind: 'Container',
      name: 'web',
      namespace: 'shop',
      app: 'shop',
      spec: spec(three),
    });
    expect(live.drift).toContain('container shop-web-1-x is not running (exited with code 137)');
    expect(live.drift).toContain('replica 3/3 is missing');
    expect(live.drift).toContain('extra container shop-web-7-x');
    expect(live.health.status).toBe('Degraded');
    expect(live.health.message).toContain('panic: boom');
    expect(
      live.children?.map((n) => ({
        name: n.name,
        status: n.health.status,
        pid: n.pid,
        restarts: n.restarts,
        lastExit: n.lastExit,
      })),
    ).toEqual([
      { name: 'shop-web-0-abcdef12', status: 'Healthy', pid: 4321, restarts: 0, lastExit: undefined },
      {
        name: 'shop-web-1-x',
        status: 'Degraded',
        pid: undefined,
        restarts: 0,
        lastExit: 'exited with code 137',
      },
      { name: 'shop-web-7-x', status: 'Unknown', pid: 4321, restarts: 0, lastExit: undefined },
    ]);
  });

  it('is in sync when every replica runs the applied spec', () => {
    const live = containerLive('box/Container/shop/web', [state()], NOW, new Set(), new Map());
    expect(live.drift).toBeUndefined();
    expect(live.health).toEqual({ status: 'Healthy' });
    const stopped = containerLive(
      'box/Container/shop/web',
      [state({ running: false, status: 'exited', exitCode: 0 })],
      NOW,
      new Set(['c0ffee000000000000']),
      new Map(),
    );
    expect(stopped.drift).toContain('was stopped by hand');
  });
});

describe('logs', () => {
  it('demultiplexes frames split anywhere, with timestamps', () => {
    const lines: LogLine[] = [];
    const demux = new LogDemuxer('web-0', (l) => lines.push(l));
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(body.length, 4);
      return Buffer.concat([header, body]);
    };
    const all = Buffer.concat([
      frame(1, '2030-01-01T00:00:01.5Z hello\n2030-01-01T00:00:02Z wor'),
      frame(2, '2030-01-01T00:00:03Z oops\n'),
      frame(1, 'ld\n'),
      frame(1, 'no timestamp'),
    ]);
    for (let i = 0; i < all.length; i += 5) demux.push(all.subarray(i, i + 5));
    demux.flush();
    expect(lines).toEqual([
      { at: '2030-01-01T00:00:01.500Z', stream: 'stdout', source: 'web-0', text: 'hello' },
      { at: '2030-01-01T00:00:03.000Z', stream: 'stderr', source: 'web-0', text: 'oops' },
      { at: '2030-01-01T00:00:02.000Z', stream: 'stdout', source: 'web-0', text: 'world' },
      { stream: 'stdout', source: 'web-0', text: 'no timestamp' },
    ]);
    const merged = mergeByTime([
      [lines[0], lines[2]].filter((l) => l !== undefined),
      [lines[1]].filter((l) => l !== undefined),
    ]);
    expect(merged.map((l) => l.text)).toEqual(['hello', 'world', 'oops']);
  });
});

describe('image references', () => {
  it('adds the latest tag and finds the registry', () => {
    expect(withDefaultTag('busybox')).toBe('busybox:latest');
    expect(withDefaultTag('localhost:5000/team/app')).toBe('localhost:5000/team/app:latest');
    expect(withDefaultTag('ghcr.io/o/app:1.2')).toBe('ghcr.io/o/app:1.2');
    expect(withDefaultTag('app@sha256:abc')).toBe('app@sha256:abc');
    expect(registryOf('busybox')).toBe('docker.io');
    expect(registryOf('team/app:1')).toBe('docker.io');
    expect(registryOf('ghcr.io/o/app:1')).toBe('ghcr.io');
    expect(registryOf('localhost:5000/app')).toBe('localhost:5000');
  });
});

describe('running since', () => {
  it('uses the engine start time, never later than first seen, and keeps it for the same run', async () => {
    const { withRunningSince } = await import('../../../src/drivers/docker/container-state.js');
    const seen = Date.parse('2030-01-01T00:00:05Z');
    const started = state({ startedAt: '2030-01-01T00:00:00Z' });
    expect(withRunningSince(started, undefined, seen).runningSince).toBe(Date.parse('2030-01-01T00:00:00Z'));
    // The engine's clock runs ahead of ours: start counting when we first saw it.
    const ahead = state({ startedAt: '2030-01-01T00:01:00Z' });
    const first = withRunningSince(ahead, undefined, seen);
    expect(first.runningSince).toBe(seen);
    expect(withRunningSince(ahead, first, seen + 10_000).runningSince).toBe(seen);
    // A new run (restarted) starts again.
    const restarted = state({ startedAt: '2030-01-01T00:02:00Z' });
    expect(withRunningSince(restarted, first, seen + 20_000).runningSince).toBe(seen + 20_000);
    expect(
      withRunningSince(state({ running: false, status: 'exited' }), first, seen).runningSince,
    ).toBeUndefined();
  });
});
