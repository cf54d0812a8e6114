import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PodmanHost, podmanSkipReason, usePodman } from '../../support/podman.js';
import { podmanCompose, podmanComposeSkipReason } from '../../support/podman-compose.js';
import { execIn, shopConfig, shopContainers, useShopHarness } from '../../support/podman-shop.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * Compose files written the way people write them (names with "_" and ".", ...) deploy as they are
 * through the engine on a Podman host.
 */
const tmp = tempDirs();

const CONFIG = shopConfig;

/** A file, its override and its .env, the way a team keeps them next to each other. */
const layered = {
  'compose.yaml': `services:
  app:
    image: \${IMAGE}
    command: ["sleep", "3600"]
    environment:
      GREETING: \${GREETING}
      LEVEL: info
    stop_signal: SIGKILL
    stop_grace_period: 1s
  debug:
    image: \${IMAGE}
    command: ["sleep", "3600"]
    profiles: [debug]
    stop_signal: SIGKILL
    stop_grace_period: 1s
`,
  'compose.override.yaml': `services:
  app:
    environment:
      LEVEL: debug
`,
};

/** A database-like service writing to db_data and serving it; a client reading it by "My_Db". */
const stack = (image: string) => `services:
  My_Db:
    image: ${image}
    command: ["sh", "-c", "echo stored > /var/lib/db/index.html && exec httpd -f -p 8080 -h /var/lib/db"]
    volumes: ["db_data:/var/lib/db"]
    networks: [back_end]
    stop_signal: SIGKILL
    stop_grace_period: 1s
  web.client:
    image: ${image}
    command: ["sh", "-c", "while true; do wget -q -O - http://My_Db:8080/ > /tmp/seen 2>&1; sleep 0.5; done"]
    networks: [back_end]
    depends_on: [My_Db]
    stop_signal: SIGKILL
    stop_grace_period: 1s
networks:
  back_end: {}
volumes:
  db_data: {}
`;

/**
 * Everyday host keys; sysctls in list form (podman-compose 1.0 drops the values of the map form),
 * and for podman-compose the network as a list (1.0 cannot read ipv4_address).
 */
const hostKeys = (image: string, hostname: string, extra = '', staticAddress = true) => `services:
  proxy:
    image: ${image}
    container_name: edge-proxy
    hostname: ${hostname}
    command: ["sleep", "3600"]
    cap_add: [NET_ADMIN]
    sysctls: ["net.ipv4.ip_unprivileged_port_start=80"]
    extra_hosts: ["db.local:10.0.0.5"]
    expose: ["8080"]
    stop_signal: SIGKILL
    stop_grace_period: 1s
${extra}    networks:
${staticAddress ? '      front_end:\n        ipv4_address: 172.28.0.10\n' : '      - front_end\n'}networks:
  front_end:
    ipam:
      config:
        - subnet: 172.28.0.0/16
`;

/** The settings both Wheelhouse and podman-compose apply, read back from the engine. */
async function hostSettings(podman: PodmanHost, name: string) {
  const info = await podman.docker.getContainer(name).inspect();
  return {
    name: info.Name.replace(/^\//, ''),
    hostname: info.Config.Hostname,
    capAdd: info.HostConfig.CapAdd,
    extraHosts: info.HostConfig.ExtraHosts,
    exposed: Object.keys(info.Config.ExposedPorts ?? {}),
  };
}

const containers = shopContainers;

const exec = execIn;

describe.skipIf(podmanSkipReason !== undefined)('real-world Compose files on Podman', () => {
  const podman = usePodman();
  const harness = useShopHarness(tmp, podman, () => ({ 'apps/shop/compose.yaml': stack(podman().image) }));

  it('deploys db_data, back_end and My_Db as written; services reach each other by their Compose names', async () => {
    expect(harness().engine.status('shop')).toMatchObject({ syncStatus: 'Synced' });
    const [first] = await harness().engine.history('shop');
    expect(first?.changeSet.map((c) => `${c.kind}/${c.name}:${c.action}`).sort()).toEqual([
      'Container/my-db:created',
      'Container/web-client:created',
      'Network/back-end:created',
      'Volume/db-data:created',
    ]);
    const volume = await podman().docker.getVolume('shop_db-data').inspect();
    expect(volume.Labels).toMatchObject({ 'wheelhouse.app': 'shop' });
    const ids = await containers(podman());
    const seen = await waitFor('the client to read My_Db by name', async () => {
      const text = await exec(podman(), ids['web-client'] ?? '', ['cat', '/tmp/seen']).catch(() => '');
      return text.includes('stored') ? text : undefined;
    });
    expect(seen.trim()).toBe('stored');
  });

  it.skipIf(podmanComposeSkipReason !== undefined)(
    'applies container_name, hostname, cap_add, sysctls, extra_hosts and expose as podman-compose does; a static address from ipam',
    async () => {
      const dir = await tmp('podman-compose');
      const file = join(dir, 'compose.yaml');
      await writeFile(file, hostKeys(podman().image, 'proxy', '', false));
      await podmanCompose(podman(), file, 'pc', ['up', '-d']);
      const theirs = await hostSettings(podman(), 'edge-proxy');
      await podmanCompose(podman(), file, 'pc', ['down', '-t', '0']);

      await harness().commit({ 'apps/shop/compose.yaml': hostKeys(podman().image, 'proxy') }, 'host keys');
      await harness().refresh('shop');
      expect(harness().engine.status('shop').lastError).toBeUndefined();
      const ours = await hostSettings(podman(), 'edge-proxy');
      expect(ours).toEqual(theirs);
      expect(ours).toMatchObject({
        name: 'edge-proxy',
        hostname: 'proxy',
        capAdd: [expect.stringMatching(/NET_ADMIN$/)],
        extraHosts: ['db.local:10.0.0.5'],
        exposed: ['8080/tcp'],
      });
      const info = await podman().docker.getContainer('edge-proxy').inspect();
      expect(info.NetworkSettings.Networks['shop_front-end']?.IPAddress).toBe('172.28.0.10');
      // Podman's inspect does not report sysctls: read the value inside the container.
      expect(
        await exec(podman(), 'edge-proxy', ['cat', '/proc/sys/net/ipv4/ip_unprivileged_port_start']),
      ).toBe('80\n');
    },
  );

  it('recreates a named container in place, and refuses privileged unless the target allows it', async () => {
    await harness().commit({ 'apps/shop/compose.yaml': hostKeys(podman().image, 'proxy') }, 'host keys');
    await harness().refresh('shop');
    const before = (await podman().docker.getContainer('edge-proxy').inspect()).Id;
    await harness().commit({ 'apps/shop/compose.yaml': hostKeys(podman().image, 'edge') }, 'new hostname');
    await harness().refresh('shop');
    const after = await podman().docker.getContainer('edge-proxy').inspect();
    expect(after.Id).not.toBe(before);
    expect(after.Config.Hostname).toBe('edge');

    await harness().commit(
      { 'apps/shop/compose.yaml': hostKeys(podman().image, 'edge', '    privileged: true\n') },
      'privileged',
    );
    await harness().refresh('shop');
    expect(harness().engine.status('shop').lastError?.message).toMatch(
      /asks to run privileged, which target "box" does not allow — .* set allowPrivileged: true under targets\.box in wheelhouse\.yaml/,
    );
    expect((await podman().docker.getContainer('edge-proxy').inspect()).Id).toBe(after.Id);
  });

  it.skipIf(podmanComposeSkipReason !== undefined)(
    'reads compose.override.yaml and .env as podman-compose does; profiled services run only when the app enables them',
    async () => {
      const env = `IMAGE=${podman().image}\nGREETING=hello from .env\n`;
      const dir = await tmp('podman-compose-layered');
      for (const [name, text] of Object.entries({ ...layered, '.env': env }))
        await writeFile(join(dir, name), text);
      const files = ['compose.yaml', 'compose.override.yaml'].map((f) => join(dir, f));
      await podmanCompose(podman(), files, 'pc', ['up', '-d', 'app']);
      const theirs = (await podman().docker.getContainer('pc_app_1').inspect()).Config.Env;
      await podmanCompose(podman(), files, 'pc', ['down', '-t', '0']);

      const tree = Object.fromEntries(
        Object.entries({ ...layered, '.env': env }).map(([name, text]) => [`apps/shop/${name}`, text]),
      );
      await harness().commit(tree, 'layered files');
      await harness().refresh('shop');
      expect(harness().engine.status('shop').lastError).toBeUndefined();
      const ids = await containers(podman());
      expect(Object.keys(ids).sort()).toEqual(['app']);
      const ours = (
        await podman()
          .docker.getContainer(ids.app ?? '')
          .inspect()
      ).Config.Env;
      const pick = (list: string[]) => list.filter((e) => /^(GREETING|LEVEL)=/.test(e)).sort();
      expect(pick(ours)).toEqual(['GREETING=hello from .env', 'LEVEL=debug']);
      expect(pick(ours)).toEqual(pick(theirs));

      await harness().commit(
        { 'wheelhouse.yaml': CONFIG(podman().host, '    compose: { profiles: [debug] }\n') },
        'debug on',
      );
      await harness().refresh('shop');
      expect(Object.keys(await containers(podman())).sort()).toEqual(['app', 'debug']);
    },
  );

  it('mounts ~/ from the home of the user Wheelhouse runs as', async () => {
    const home = await tmp('home');
    await mkdir(join(home, 'site'));
    await writeFile(join(home, 'site', 'index.html'), 'from home\n');
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      await harness().commit(
        {
          'apps/shop/compose.yaml': `services:
  site:
    image: ${podman().image}
    command: ["sleep", "3600"]
    volumes: ["~/site:/srv:ro"]
    stop_signal: SIGKILL
    stop_grace_period: 1s
`,
          'apps/shop/compose.override.yaml': 'services: {}\n',
        },
        'home mount',
      );
      await harness().refresh('shop');
      expect(harness().engine.status('shop').lastError).toBeUndefined();
      const ids = await containers(podman());
      expect(await exec(podman(), ids.site ?? '', ['cat', '/srv/index.html'])).toBe('from home\n');
    } finally {
      process.env.HOME = saved;
    }
  });
});
