import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerDriver, dockerKinds } from '../../../src/drivers/docker/index.js';
import { dockerDeps } from '../../support/docker.js';
import { startHarness } from '../../support/engine-harness.js';
import { type PodmanHost, podmanSkipReason, usePodman } from '../../support/podman.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * Compose files written the way people write them (names with "_" and ".", ...) deploy as they are
 * through the engine on a Podman host.
 */
const tmp = tempDirs();

const CONFIG = (host: string) => `targets:
  box: { driver: docker, host: "${host}" }
apps:
  - name: shop
    path: apps/shop
    target: box
    environment: prod
`;

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

async function containers(podman: PodmanHost): Promise<Record<string, string>> {
  const list = await podman.docker.listContainers({ all: true, filters: { label: ['wheelhouse.app=shop'] } });
  return Object.fromEntries(list.map((c) => [c.Labels['wheelhouse.resource']?.split('/')[3] ?? '?', c.Id]));
}

async function exec(podman: PodmanHost, id: string, cmd: string[]): Promise<string> {
  const run = await podman.docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  // Multiplexed frames: an 8-byte header before each payload.
  const raw = Buffer.concat(chunks);
  const out: Buffer[] = [];
  for (let i = 0; i + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(i + 4);
    out.push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(out).toString('utf8');
}

describe.skipIf(podmanSkipReason !== undefined)('real-world Compose files on Podman', () => {
  const podman = usePodman();
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    h = await startHarness(tmp, {
      files: { 'wheelhouse.yaml': CONFIG(podman().host), 'apps/shop/compose.yaml': stack(podman().image) },
      driver: createDockerDriver(dockerDeps(podman())),
      driverName: 'docker',
      kinds: dockerKinds,
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('deploys db_data, back_end and My_Db as written; services reach each other by their Compose names', async () => {
    expect(h.engine.status('shop')).toMatchObject({ syncStatus: 'Synced' });
    const [first] = await h.engine.history('shop');
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
});
