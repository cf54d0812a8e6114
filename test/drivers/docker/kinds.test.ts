import { describe, expect, it } from 'vitest';
import { containerKind, dockerKinds, networkKind, volumeKind } from '../../../src/drivers/docker/index.js';
import { createKindRegistry } from '../../../src/drivers/registry.js';

function issuesOf(result: ReturnType<typeof containerKind.parse>) {
  return result.ok ? [] : result.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('docker kinds', () => {
  it('are registered for the docker driver, Network and Volume before Container', () => {
    const registry = createKindRegistry();
    expect(registry.kindsFor('docker').map((k) => k.kind)).toEqual(['Network', 'Volume', 'Container']);
    expect(registry.driversServing('Container')).toContain('docker');
    const order = Object.fromEntries(dockerKinds.map((k) => [k.kind, k.order]));
    expect(order.Network).toBeLessThan(order.Container ?? 0);
    expect(order.Volume).toBeLessThan(order.Container ?? 0);
  });

  it('fills Container defaults', () => {
    const result = containerKind.parse({
      image: 'nginx:1.27',
      ports: [{ containerPort: 80, hostPort: 8080 }],
    });
    expect(result).toEqual({
      ok: true,
      value: {
        image: 'nginx:1.27',
        env: {},
        secretEnv: {},
        ports: [{ containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1', protocol: 'tcp' }],
        volumes: [],
        networks: [],
        networkMode: 'bridge',
        labels: {},
        restart: 'no',
        replicas: 1,
        pullPolicy: 'IfNotPresent',
        stopTimeoutSeconds: 10,
      },
    });
  });

  it('normalizes sizes and healthchecks, and parsing its own output changes nothing', () => {
    const first = containerKind.parse({
      image: 'app',
      memory: '512m',
      cpus: 0.5,
      healthcheck: { test: ['CMD-SHELL', 'wget -q localhost'], intervalSeconds: 5 },
      volumes: [
        { type: 'volume', source: 'data', target: '/data' },
        { type: 'tmpfs', target: '/run', size: '1m' },
      ],
    });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value.memory).toBe(512 * 1024 * 1024);
    expect(first.value.healthcheck).toEqual({
      test: ['CMD-SHELL', 'wget -q localhost'],
      intervalSeconds: 5,
      timeoutSeconds: 30,
      retries: 3,
      startPeriodSeconds: 0,
    });
    expect(containerKind.parse(first.value)).toEqual(first);
  });

  it('reports every problem with its path', () => {
    const issues = issuesOf(
      containerKind.parse({
        image: '',
        imagePullPolicy: 'Always',
        env: { A: '1' },
        secretEnv: { A: { fromEnv: 'X' } },
        ports: [{ containerPort: 80, hostPort: 70000 }],
        volumes: [{ type: 'bind', source: 'relative/dir', target: '/x' }],
        networkMode: 'host',
        networks: [{ name: 'backend' }],
        memory: 'lots',
        labels: { 'wheelhouse.app': 'x' },
        healthcheck: { test: ['wget', 'x'] },
      }),
    );
    const joined = issues.join('\n');
    expect(joined).toMatch(/^image: /m);
    expect(joined).toMatch(/imagePullPolicy/);
    expect(joined).toMatch(/^ports.0.hostPort: /m);
    expect(joined).toMatch(
      /^volumes.0.source: must be an absolute host path \(starting with "\/"\) or start with "~\/"/m,
    );
    expect(joined).toMatch(/^memory: "lots" is not a size/m);
    expect(joined).toMatch(/^labels: label keys starting with "wheelhouse\." are reserved/m);
    expect(joined).toMatch(/^healthcheck.test: must start with "CMD"/m);
  });

  it('checks combinations', () => {
    const issues = issuesOf(
      containerKind.parse({
        image: 'app',
        env: { A: '1' },
        secretEnv: { A: { fromEnv: 'X' } },
        networkMode: 'host',
        networks: [{ name: 'backend' }],
        ports: [{ containerPort: 80 }],
      }),
    ).join('\n');
    expect(issues).toMatch(/^secretEnv.A: "A" is set in both env and secretEnv/m);
    expect(issues).toMatch(/^networks: networks need networkMode bridge/m);
    expect(issues).toMatch(/^ports: ports are published only with networkMode bridge/m);
    const replicas = issuesOf(
      containerKind.parse({ image: 'app', replicas: 2, ports: [{ containerPort: 80, hostPort: 8080 }] }),
    ).join('\n');
    expect(replicas).toMatch(/^ports.0.hostPort: a fixed host port cannot serve 2 replicas/m);
    const refs = issuesOf(
      containerKind.parse({
        image: 'app',
        networks: [{ name: 'Not_A_Label' }],
        volumes: [{ type: 'volume', source: 'Data_1', target: '/d' }],
      }),
    ).join('\n');
    expect(refs).toMatch(/^networks.0.name: must name a Network resource/m);
    expect(refs).toMatch(/^volumes.0.source: must name a Volume resource/m);
    expect(
      containerKind.parse({
        image: 'app',
        networks: [{ name: 'Not_A_Label', external: true }],
        volumes: [{ type: 'volume', source: 'Data_1', target: '/d', external: true }],
      }).ok,
    ).toBe(true);
  });

  it('validates Network and Volume specs', () => {
    expect(networkKind.parse({})).toEqual({
      ok: true,
      value: { driver: 'bridge', options: {}, internal: false, ipv6: false, labels: {} },
    });
    expect(volumeKind.parse({ driver: 'local', options: { type: 'tmpfs' } })).toEqual({
      ok: true,
      value: { driver: 'local', options: { type: 'tmpfs' }, labels: {} },
    });
    const bad = networkKind.parse({ internal: 'yes', subnet: '10.0.0.0/8' });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['internal']));
  });
});
