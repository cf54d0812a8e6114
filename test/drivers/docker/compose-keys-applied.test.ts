import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PodmanHost, podmanSkipReason, usePodman } from '../../support/podman.js';
import { podmanCompose, podmanComposeSkipReason } from '../../support/podman-compose.js';
import { execIn, shopContainers, useShopHarness } from '../../support/podman-shop.js';
import { tempDirs } from '../../support/tmp.js';

/**
 * Every accepted service key takes effect: one service written with them is deployed on Podman
 * and read back through the Docker API, and the same file run by podman-compose is read back the
 * same way for the keys both apply.
 */
const tmp = tempDirs();

const compose = (image: string, name: string) => `services:
  keys:
    image: ${image}
    container_name: ${name}
    entrypoint: ["sh", "-c"]
    command: ["sleep 3600"]
    hostname: keys
    domainname: example.test
    user: "1000:1000"
    working_dir: /tmp
    environment: { MODE: test }
    expose: ["8080", "9090/udp"]
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    sysctls: ["net.ipv4.ip_unprivileged_port_start=80"]
    stdin_open: true
    tty: true
    init: true
    stop_signal: SIGKILL
    stop_grace_period: 7s
    shm_size: 64m
    # The sandbox allows no more than its defaults (nofile and nproc 1024); a service that sets
    # one ulimit sets them all, so nproc is written too.
    ulimits:
      nproc: 1024
      nofile: { soft: 512, hard: 1024 }
    extra_hosts: ["db.local:10.0.0.5"]
    dns: [10.0.0.53]
    dns_search: [example.test]
    dns_opt: ["ndots:2"]
    labels: { team: shop }
    logging:
      driver: k8s-file
    restart: unless-stopped
    healthcheck:
      test: ["CMD", "true"]
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
      start_interval: 2s
`;

/** What the engine reports for each key, read back through the Docker API. */
async function applied(podman: PodmanHost, id: string) {
  const info = await podman.docker.getContainer(id).inspect();
  const c = info.Config as typeof info.Config & { StopTimeout?: number; StopSignal?: string };
  const hc = info.HostConfig as typeof info.HostConfig & { Init?: boolean };
  return {
    name: info.Name.replace(/^\//, ''),
    entrypoint: c.Entrypoint,
    cmd: c.Cmd,
    hostname: c.Hostname,
    domainname: c.Domainname,
    user: c.User,
    workingDir: c.WorkingDir,
    env: (c.Env ?? []).filter((e) => e.startsWith('MODE=')),
    exposed: Object.keys(c.ExposedPorts ?? {}).sort(),
    capAdd: hc.CapAdd,
    capDrop: hc.CapDrop,
    sysctls: hc.Sysctls,
    stdinOpen: c.OpenStdin,
    tty: c.Tty,
    init: hc.Init,
    stopSignal: c.StopSignal,
    stopTimeout: c.StopTimeout,
    shmSize: hc.ShmSize,
    ulimits: (hc.Ulimits ?? []).filter((u) => u.Name?.endsWith('nofile')),
    extraHosts: hc.ExtraHosts,
    dns: hc.Dns,
    dnsSearch: hc.DnsSearch,
    dnsOptions: hc.DnsOptions,
    label: c.Labels?.team,
    logDriver: hc.LogConfig?.Type,
    restart: hc.RestartPolicy?.Name,
    healthcheck: c.Healthcheck,
  };
}

/** What the running container sees, for the keys the compatible inspect does not show. */
const PROBE = [
  'cat /proc/sys/kernel/domainname',
  'cat /proc/sys/net/ipv4/ip_unprivileged_port_start',
  // The limits of the container's process (an exec'd shell starts from the engine's defaults).
  `awk '/open files/ { print $4 ":" $5 }' /proc/1/limits`,
  'cat /proc/1/comm',
  'grep -c db.local /etc/hosts',
  'grep -E "^(nameserver|search|options)" /etc/resolv.conf',
].join('; ');

async function seen(podman: PodmanHost, id: string): Promise<string[]> {
  return (await execIn(podman, id, ['sh', '-c', PROBE])).trim().split('\n');
}

describe.skipIf(podmanSkipReason !== undefined)('accepted Compose keys take effect on Podman', () => {
  const podman = usePodman();
  const harness = useShopHarness(tmp, podman, () => ({
    'apps/shop/compose.yaml': compose(podman().image, 'shop-keys'),
  }));

  /** The settings both apply the same way (podman-compose 1.0.3 passes no dns keys and no stop_grace_period). */
  const shared = (a: Awaited<ReturnType<typeof applied>>) => {
    const { name: _n, dns: _d, dnsSearch: _s, dnsOptions: _o, stopTimeout: _t, healthcheck: _h, ...rest } = a;
    return rest;
  };

  it('applies each key to the container', async () => {
    expect(harness().engine.status('shop').lastError).toBeUndefined();
    const id = (await shopContainers(podman())).keys ?? '';
    expect(await applied(podman(), id)).toEqual({
      name: 'shop-keys',
      entrypoint: ['sh', '-c'],
      cmd: ['sleep 3600'],
      hostname: 'keys',
      // Podman 4.3 leaves Domainname out of inspect; the container has it (below).
      domainname: '',
      user: '1000:1000',
      workingDir: '/tmp',
      env: ['MODE=test'],
      exposed: ['8080/tcp', '9090/udp'],
      capAdd: ['NET_ADMIN'],
      capDrop: ['MKNOD'],
      // Sysctls and Ulimits are not in Podman's compatible inspect either: checked inside.
      sysctls: undefined,
      stdinOpen: true,
      tty: true,
      init: true,
      stopSignal: '9',
      stopTimeout: 7,
      shmSize: 64 * 1024 * 1024,
      ulimits: [],
      extraHosts: ['db.local:10.0.0.5'],
      dns: ['10.0.0.53'],
      dnsSearch: ['example.test'],
      dnsOptions: ['ndots:2'],
      label: 'shop',
      // Podman reports its k8s-file log driver under the Docker name.
      logDriver: 'json-file',
      restart: 'unless-stopped',
      // start_interval is sent (Docker 25+ applies it); Podman 4.3 has no such setting.
      healthcheck: { Test: ['CMD', 'true'], Interval: 30e9, Timeout: 5e9, StartPeriod: 10e9, Retries: 3 },
    });
    expect(await seen(podman(), id)).toEqual([
      // Podman 4.3's compatible API does not apply Domainname (podman-compose passes none either).
      '(none)',
      '80',
      '512:1024',
      'podman-init',
      '1',
      'search example.test',
      'nameserver 10.0.0.53',
      'options ndots:2',
    ]);
  });

  it.skipIf(podmanComposeSkipReason !== undefined)(
    'applies them as podman-compose does, except the keys podman-compose 1.0.3 drops',
    async () => {
      const ours = await applied(podman(), (await shopContainers(podman())).keys ?? '');
      const dir = await tmp('podman-compose-keys');
      await mkdir(dir, { recursive: true });
      const file = join(dir, 'compose.yaml');
      await writeFile(file, compose(podman().image, 'pc-keys'));
      await podmanCompose(podman(), file, 'pck', ['up', '-d']);
      try {
        const theirs = await applied(podman(), 'pc-keys');
        expect(shared(theirs)).toEqual(shared(ours));
        // Where they differ: podman-compose ignores stop_grace_period and the dns keys, and runs
        // an exec-form healthcheck through a shell.
        expect(theirs).toMatchObject({ stopTimeout: 10, dns: [], dnsSearch: [], dnsOptions: [] });
        expect(theirs.healthcheck?.Test).toEqual(['CMD-SHELL', '/bin/sh -c true']);
        const mine = await seen(podman(), (await shopContainers(podman())).keys ?? '');
        expect((await seen(podman(), 'pc-keys')).slice(0, 5)).toEqual(mine.slice(0, 5));
      } finally {
        await podmanCompose(podman(), file, 'pck', ['down', '-t', '0']);
      }
    },
  );
});
