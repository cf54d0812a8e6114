import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPath } from '../../bench/lib/podman.js';
import { missingComponent } from './components.js';
import { freePort } from './ports.js';

/** Why tests of the registry alone (no Podman) cannot run here, or undefined when they can. */
export const registryOnlySkipReason: string | undefined = missingComponent(
  'docker-registry',
  'apt-get install -y docker-registry',
  onPath('docker-registry'),
);

export interface TestRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  address: string;
  /** Push a tiny image (one config blob, no layers) under `repository:tag`; returns its digest. */
  push(repository: string, tag: string, content?: string): Promise<string>;
  stop(): Promise<void>;
}

/** The CNCF distribution registry (Debian docker-registry) on 127.0.0.1, in a temp dir. */
export async function startTestRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'wh-registry-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = join(dir, 'registry.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${address}\n`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const url = `http://${address}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null)
      throw new Error(`docker-registry exited (${child.exitCode}) before serving ${url}`);
    const up = await fetch(`${url}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 300) throw new Error(`docker-registry did not answer on ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  async function blob(repository: string, body: Buffer): Promise<string> {
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location') ?? '', url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(body),
    });
    if (!put.ok) throw new Error(`blob upload to ${repository} failed: ${put.status}`);
    return digest;
  }
  return {
    url,
    address,
    async push(repository, tag, content = tag) {
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', content }));
      const configDigest = await blob(repository, config);
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: configDigest,
          size: config.length,
        },
        layers: [],
      });
      const response = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        body: manifest,
      });
      if (!response.ok)
        throw new Error(
          `manifest push ${repository}:${tag} failed: ${response.status} ${await response.text()}`,
        );
      return response.headers.get('docker-content-digest') ?? '';
    },
    async stop() {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
