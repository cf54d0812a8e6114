import type { PodmanHost } from './podman.js';

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
