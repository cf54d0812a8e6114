import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type Docker from 'dockerode';
import { type ApplyContext, WheelhouseError } from '../../core/index.js';
import { engineError } from './client.js';
import { type ImageFacts, inspectImage } from './images.js';
import type { ContainerSpec } from './kinds/index.js';

type BuildSpec = NonNullable<ContainerSpec['build']>;
const TAIL = 15;

interface BuildInput {
  docker: Docker;
  build: BuildSpec;
  /** The spec's `sourceTrees` (context -> tree id), written by the engine. */
  trees: Readonly<Record<string, string>> | undefined;
  /** The name to tag the build with (`image:`), else one derived from the app and resource. */
  image: string | undefined;
  ctx: ApplyContext;
  where: { app: string; resource: string };
}

/**
 * The image of a `build` section, built on the target engine (`POST /build`) from the context
 * directory at the synced revision unless an image tagged with this context's tree id (and these
 * build options) is already there. The build's output goes to the sync's progress and log; a
 * failed build throws with its last lines.
 */
export async function ensureBuiltImage(input: BuildInput): Promise<ImageFacts> {
  const { docker, build, ctx, where } = input;
  const ref = builtRef(input);
  const present = await inspectImage(docker, ref, where);
  if (present) return present;
  const root = await ctx.checkout();
  const dir = resolve(root, build.context);
  if (dir !== root && !dir.startsWith(root + sep)) {
    throw new WheelhouseError(
      'DRIVER_FAILED',
      `${where.resource}: build context ${build.context} is outside the repository; keep it inside`,
      { details: where },
    );
  }
  const src = await filesUnder(dir).catch((err: unknown) => {
    throw new WheelhouseError(
      'DRIVER_FAILED',
      `${where.resource}: cannot read build context ${build.context} at revision ${ctx.revision.slice(0, 12)}; check that the directory exists in Git`,
      { cause: err, details: where },
    );
  });
  ctx.progress(`building ${ref} from ${build.context}`);
  const options = {
    t: ref,
    dockerfile: build.dockerfile,
    buildargs: build.args,
    labels: build.labels,
    abortSignal: ctx.signal,
    ...(build.target ? { target: build.target } : {}),
  };
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage({ context: dir, src }, options);
  } catch (err) {
    throw engineError(
      `cannot start the build of ${ref} for ${where.resource}`,
      err,
      where,
      `check ${build.context}/${build.dockerfile}`,
    );
  }
  await followBuild(docker, stream, input, ref);
  const built = await inspectImage(docker, ref, where);
  if (!built) {
    throw new WheelhouseError(
      'DRIVER_FAILED',
      `the build of ${ref} for ${where.resource} ended but no image has that tag; check the engine's build output in the sync log`,
      { details: where },
    );
  }
  ctx.progress(`built ${ref}`);
  return built;
}

/** `<image or localhost/wheelhouse/app-name>:<context tree id>-<options digest>`. */
export function builtRef(input: Pick<BuildInput, 'build' | 'trees' | 'image' | 'ctx' | 'where'>): string {
  const { build, trees, image, ctx, where } = input;
  const tree = trees?.[build.context] ?? ctx.revision;
  const options = createHash('sha256')
    .update(JSON.stringify([build.dockerfile, build.args, build.target ?? '', build.labels]))
    .digest('hex')
    .slice(0, 8);
  const name = image
    ? image.replace(/@.*$/, '').replace(/:[^:/]+$/, '')
    : `localhost/wheelhouse/${slug(where.resource)}`;
  return `${name}:${tree.slice(0, 12)}-${options}`;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+/, '');

/** Every file below `dir`, relative (dockerode tars them and drops what `.dockerignore` names). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) =>
      relative(dir, join(e.parentPath ?? e.path, e.name))
        .split(sep)
        .join('/'),
    )
    .sort();
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

async function followBuild(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  input: BuildInput,
  ref: string,
): Promise<void> {
  const { ctx, where } = input;
  const tail: string[] = [];
  const fail = (reason: string) =>
    new WheelhouseError(
      'DRIVER_FAILED',
      `the build of ${ref} for ${where.resource} failed: ${reason.trim()}; last lines:\n${tail.join('\n')}\nFix ${input.build.context}/${input.build.dockerfile} (or the args) in Git and sync again`,
      { details: where },
    );
  await new Promise<void>((resolvePromise, reject) => {
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(fail(err instanceof Error ? err.message : String(err))) : resolvePromise()),
      (event: BuildEvent) => {
        for (const line of (event.stream ?? event.status ?? '').split('\n')) {
          if (line.trim() === '') continue;
          tail.push(line);
          if (tail.length > TAIL) tail.shift();
          ctx.log.info({ resource: where.resource, build: ref }, line);
          ctx.progress(`build ${ref}: ${line}`);
        }
        const error = event.errorDetail?.message ?? event.error;
        if (error) reject(fail(error));
      },
    );
  });
}
