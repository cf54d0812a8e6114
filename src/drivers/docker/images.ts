import type Docker from 'dockerode';
import { type ApplyContext, WheelhouseError } from '../../core/index.js';
import { engineError, isNotFound } from './client.js';
import type { DockerOptions } from './options.js';

export interface ImageFacts {
  /** The reference as the spec names it. */
  ref: string;
  /** The local image id (`sha256:...`). */
  id: string;
  /** `repo@sha256:...` when the image came from (or was pushed to) a registry: pin it to roll back exactly. */
  repoDigest?: string;
}

/** `busybox` -> `busybox:latest`; references with a tag or digest are kept. */
export function withDefaultTag(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? ref : `${ref}:latest`;
}

/** The registry host of a reference (`docker.io` when it names none). */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const hasRegistry =
    ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? first : 'docker.io';
}

interface ImageInput {
  docker: Docker;
  ref: string;
  policy: 'IfNotPresent' | 'Always';
  options: DockerOptions;
  env: Readonly<Record<string, string | undefined>>;
  ctx: ApplyContext;
  where: { app: string; resource: string };
}

/** Make the image present per the pull policy and return its id and digest. */
export async function ensureImage(input: ImageInput): Promise<ImageFacts> {
  const { docker, ref, policy } = input;
  if (policy === 'IfNotPresent') {
    const present = await inspectImage(docker, ref, input.where);
    if (present) return present;
  }
  // Podman lists every digest an image is known by under every name it has; the digest this pull
  // brought is the one no local image had before.
  const known = await knownDigests(docker);
  await pullImage(input);
  const pulled = await inspectImage(docker, ref, input.where, known);
  if (!pulled) {
    throw new WheelhouseError(
      'DRIVER_FAILED',
      `image ${ref} for ${input.where.resource} is still missing after a successful pull; check the reference`,
      { details: input.where },
    );
  }
  return pulled;
}

export async function inspectImage(
  docker: Docker,
  ref: string,
  where: { app: string; resource: string },
  knownBefore: ReadonlySet<string> = new Set(),
): Promise<ImageFacts | undefined> {
  try {
    const info = await docker.getImage(ref).inspect();
    const all = info.RepoDigests ?? [];
    const fresh = all.filter((d) => !knownBefore.has(digestOf(d)));
    const repoDigest = pickRepoDigest(ref, fresh) ?? pickRepoDigest(ref, all);
    return repoDigest ? { ref, id: info.Id, repoDigest } : { ref, id: info.Id };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw engineError(`cannot inspect image ${ref} for ${where.resource}`, err, where);
  }
}

/** The digest for the repository the reference names (an image can carry several). */
function pickRepoDigest(ref: string, digests: readonly string[]): string | undefined {
  if (ref.includes('@')) {
    const pinned = digests.find((d) => digestOf(d) === digestOf(ref));
    if (pinned) return pinned;
  }
  const repo = withDefaultTag(ref)
    .replace(/@.*$/, '')
    .replace(/:[^:/]+$/, '');
  const short = repo.replace(/^docker\.io\//, '').replace(/^library\//, '');
  return digests.find((d) => {
    const name = d.slice(0, d.indexOf('@'));
    return name === repo || name.endsWith(`/${short}`) || name === short;
  });
}

const digestOf = (repoDigest: string): string => repoDigest.slice(repoDigest.indexOf('@') + 1);

async function knownDigests(docker: Docker): Promise<Set<string>> {
  const images = await docker.listImages().catch(() => []);
  return new Set(images.flatMap((image) => (image.RepoDigests ?? []).map(digestOf)));
}

async function pullImage(input: ImageInput): Promise<void> {
  const { docker, ctx, where } = input;
  const ref = withDefaultTag(input.ref);
  const registry = registryOf(ref);
  const credentials = input.options.registries[registry];
  let authconfig: { username: string; password: string; serveraddress: string } | undefined;
  if (credentials) {
    const username = input.env[credentials.usernameEnv];
    const password = input.env[credentials.passwordEnv];
    if (!username || !password) {
      const missing = !username ? credentials.usernameEnv : credentials.passwordEnv;
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `cannot pull ${ref} for ${where.resource}: environment variable ${missing} (credentials for ${registry}) is not set in the engine's environment`,
        { details: where },
      );
    }
    authconfig = { username, password, serveraddress: registry };
  }
  ctx.progress(`pulling ${ref}`);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(
      ref,
      authconfig ? { authconfig, abortSignal: ctx.signal } : { abortSignal: ctx.signal },
    );
  } catch (err) {
    throw engineError(
      `cannot pull image ${ref} for ${where.resource}`,
      err,
      where,
      'check the image name and tag, that the registry is reachable from the engine, and its credentials',
    );
  }
  await new Promise<void>((resolve, reject) => {
    let lastReport = 0;
    const layers = new Map<string, string>();
    docker.modem.followProgress(
      stream,
      (err) => {
        if (err) {
          reject(
            engineError(`pull of ${ref} for ${where.resource} failed`, err, where, 'check the registry'),
          );
        } else resolve();
      },
      (event: { status?: string; id?: string; error?: string; errorDetail?: { message?: string } }) => {
        if (event.error || event.errorDetail?.message) {
          reject(
            new WheelhouseError(
              'DRIVER_FAILED',
              `pull of ${ref} for ${where.resource} failed: ${event.errorDetail?.message ?? event.error}; check the image name, tag and registry credentials`,
              { details: where },
            ),
          );
          return;
        }
        if (event.id && event.status) layers.set(event.id, event.status);
        const now = Date.now();
        if (now - lastReport >= 1000) {
          lastReport = now;
          const done = [...layers.values()].filter((s) => /complete|exists/i.test(s)).length;
          ctx.progress(`pulling ${ref}: ${done}/${layers.size} layers done`);
        }
      },
    );
  });
  ctx.progress(`pulled ${ref}`);
}
