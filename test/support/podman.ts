import { afterAll, beforeAll } from 'vitest';
import { onPath, type PodmanHost, type PodmanOptions, startPodman } from '../../bench/lib/podman.js';
import { missingComponent } from './components.js';

export { type PodmanHost, type PodmanOptions, startPodman, TEST_IMAGE } from '../../bench/lib/podman.js';

/** Why Podman tests cannot run here (for `describe.skipIf`), or undefined when they can. */
export const podmanSkipReason: string | undefined = (() => {
  const missing = ['podman', 'runc', 'busybox'].filter((b) => !onPath(b));
  return missingComponent(
    missing.join(', '),
    'apt-get install -y podman runc busybox-static',
    missing.length === 0,
  );
})();

/** Why registry tests cannot run here, or undefined when they can. */
export const registrySkipReason: string | undefined = (() => {
  if (podmanSkipReason) return podmanSkipReason;
  return missingComponent('docker-registry', 'apt-get install -y docker-registry', onPath('docker-registry'));
})();

/**
 * Start a private Podman for this test file (beforeAll) and tear it down with everything it ran
 * (afterAll, also on failure). Test files that use Podman run one at a time (a lock under /tmp):
 * they share the host's bridge interfaces and two cores.
 */
export function usePodman(options: PodmanOptions = {}): () => PodmanHost {
  let host: PodmanHost | undefined;
  let stopAll: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startPodman(options);
    host = started.host;
    stopAll = started.stop;
  }, 15 * 60_000);
  afterAll(async () => {
    await stopAll?.();
  }, 120_000);
  return () => {
    if (!host) throw new Error('Podman did not start (see the beforeAll error)');
    return host;
  };
}

/** Push a local image to the test registry under `ref`; returns the registry's manifest digest. */
export async function pushToRegistry(podman: PodmanHost, localRef: string, ref: string): Promise<string> {
  const colon = ref.lastIndexOf(':');
  await podman.docker.getImage(localRef).tag({ repo: ref.slice(0, colon), tag: ref.slice(colon + 1) });
  const stream = await podman.docker.getImage(ref).push({});
  await new Promise<void>((resolve, reject) =>
    podman.docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())),
  );
  const [, repo] = /^[^/]+\/(.+):[^:]+$/.exec(ref) ?? [];
  const response = await fetch(`http://${podman.registry}/v2/${repo}/manifests/${ref.slice(colon + 1)}`, {
    method: 'HEAD',
    headers: {
      accept: [
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
    },
  });
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest) throw new Error(`registry has no manifest for ${ref} (${response.status})`);
  // Forget the local tag so the driver has to pull it.
  await podman.docker.getImage(ref).remove();
  return digest;
}
