import { describe, expect, it } from 'vitest';
import { createOptions } from '../../../src/drivers/docker/container-config.js';
import { containerSchema } from '../../../src/drivers/docker/kinds/index.js';
import { issueAt, renderShopCompose } from './shop.js';

const render = renderShopCompose;
const where = issueAt;

const EVERYDAY = `services:
  proxy:
    image: nginx
    container_name: edge-proxy
    hostname: proxy
    domainname: example.test
    expose: ["80", "8000-8001", "53/udp", 9090]
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    sysctls:
      net.core.somaxconn: 1024
    stdin_open: true
    tty: true
    platform: linux/amd64
    runtime: runc
    privileged: false
    devices: ["/dev/fuse", "/dev/null:/dev/nothing:r"]
    shm_size: 64m
    ulimits:
      nproc: 65535
      nofile: { soft: 20000, hard: 40000 }
    extra_hosts: ["db.local:10.0.0.5", "cache.local=10.0.0.6"]
    dns: 1.1.1.1
    dns_search: [example.test]
    init: true
    stop_signal: SIGQUIT
    stop_grace_period: 20s
    logging:
      driver: json-file
      options: { max-size: 10m }
    healthcheck:
      test: ["CMD", "true"]
      start_period: 30s
      start_interval: 2s
    volumes: ["~/site:/srv:ro", "~:/home/owner"]
    networks:
      front_end:
        ipv4_address: 172.28.0.10
networks:
  front_end:
    ipam:
      config:
        - subnet: 172.28.0.0/16
          gateway: 172.28.0.1
`;

describe('compose host keys', () => {
  it('accepts the everyday keys and turns them into the engine settings docker compose would make', () => {
    const { resources, issues } = render(EVERYDAY);
    expect(issues).toEqual([]);
    const proxy = resources.find((r) => r.kind === 'Container');
    const spec = containerSchema.parse(proxy?.spec);
    const options = createOptions({
      name: 'edge-proxy',
      spec,
      namespace: 'shop',
      resourceName: 'proxy',
      ownership: {},
      replica: 0,
      secretValues: {},
      image: 'nginx',
      home: '/home/wh/',
    });
    expect(options).toMatchObject({
      Hostname: 'proxy',
      Domainname: 'example.test',
      OpenStdin: true,
      Tty: true,
      platform: 'linux/amd64',
      StopSignal: 'SIGQUIT',
      StopTimeout: 20,
      ExposedPorts: { '80/tcp': {}, '8000/tcp': {}, '8001/tcp': {}, '53/udp': {}, '9090/tcp': {} },
      Healthcheck: { StartPeriod: 30e9, StartInterval: 2e9 },
      NetworkingConfig: {
        EndpointsConfig: {
          'shop_front-end': { Aliases: ['proxy'], IPAMConfig: { IPv4Address: '172.28.0.10' } },
        },
      },
      HostConfig: {
        // ~ is the home of the user Wheelhouse runs as, as Compose reads it.
        Mounts: [
          { Type: 'bind', Source: '/home/wh/site', Target: '/srv', ReadOnly: true },
          { Type: 'bind', Source: '/home/wh', Target: '/home/owner', ReadOnly: false },
        ],
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['MKNOD'],
        Sysctls: { 'net.core.somaxconn': '1024' },
        Runtime: 'runc',
        Privileged: false,
        Devices: [
          { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
          { PathOnHost: '/dev/null', PathInContainer: '/dev/nothing', CgroupPermissions: 'r' },
        ],
        ShmSize: 64 * 1024 * 1024,
        Ulimits: [
          { Name: 'nproc', Soft: 65535, Hard: 65535 },
          { Name: 'nofile', Soft: 20000, Hard: 40000 },
        ],
        ExtraHosts: ['db.local:10.0.0.5', 'cache.local:10.0.0.6'],
        Dns: ['1.1.1.1'],
        DnsSearch: ['example.test'],
        Init: true,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
      },
    });
    expect(spec.containerName).toBe('edge-proxy');
    const network = resources.find((r) => r.kind === 'Network' && r.metadata.name === 'front-end');
    expect(network?.spec.ipam).toEqual({ config: [{ subnet: '172.28.0.0/16', gateway: '172.28.0.1' }] });
  });

  it('reports a bad value at its line, and container_name with several replicas', () => {
    const { issues } = render(`services:
  web:
    image: web
    container_name: web
    deploy: { replicas: 2 }
    cap_add: [net admin]
    expose: ["99999"]
    ulimits: { nofile: { soft: 10, hard: 5 } }
    networks:
      back:
        ipv4_address: not-an-ip
networks:
  back:
    ipam: { config: [{ subnet: nonsense }] }
`);
    expect(issues.map(where)).toEqual([
      '4:21 spec.containerName: one container name cannot serve 2 replicas; remove containerName or use replicas: 1',
      '6:14 spec.capAdd[0]: must be a capability name such as NET_ADMIN or SYS_PTRACE',
      '7:14 services.web.expose[0]: "99999" is not a port — write PORT, FROM-TO, optionally with /tcp or /udp',
      '8:14 spec.ulimits.nofile: soft must not exceed hard',
      '10:7 spec.networks[0].ipv4Address: must be an IPv4 address such as 172.28.0.10',
      '14:11 spec.ipam.config[0].subnet: must be a subnet such as 172.28.0.0/16',
    ]);
  });
});
