import { afterAll, beforeAll } from 'vitest';
import { createDockerDriver, dockerKinds } from '../../src/drivers/docker/index.js';
import { dockerDeps } from './docker.js';
import { startHarness } from './engine-harness.js';
import type { PodmanHost } from './podman.js';

type Harness = Awaited<ReturnType<typeof startHarness>>;

/** A control repo's wheelhouse.yaml with one docker target `box` and the app `shop` at apps/shop. */
export const shopConfig = (host: string, appExtra = '') => `targets:
  box: { driver: docker, host: "${host}" }
apps:
  - name: shop
    path: apps/shop
    target: box
    environment: prod
${appExtra}`;

/** Run a command in a container and return its output (stdout and stderr, demultiplexed). */
export async function execIn(podman: PodmanHost, id: string, cmd: string[]): Promise<string> {
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

/** The `shop` app's containers on the host, by service (its resource name). */
export async function shopContainers(podman: PodmanHost): Promise<Record<string, string>> {
  const list = await podman.docker.listContainers({ all: true, filters: { label: ['wheelhouse.app=shop'] } });
  return Object.fromEntries(list.map((c) => [c.Labels['wheelhouse.resource']?.split('/')[3] ?? '?', c.Id]));
}

/**
 * An engine over a control repo holding `shop`'s wheelhouse.yaml and `files`, with the docker
 * driver on the test's Podman; the returned getter gives it to the suite's tests.
 */
export function useShopHarness(
  tmp: (prefix: string) => Promise<string>,
  podman: () => PodmanHost,
  files: () => Record<string, string>,
): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(tmp, {
      files: { 'wheelhouse.yaml': shopConfig(podman().host), ...files() },
      driver: createDockerDriver(dockerDeps(podman())),
      driverName: 'docker',
      kinds: dockerKinds,
    });
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error('the shop harness is not started (beforeAll failed — see its error)');
    return h;
  };
}
