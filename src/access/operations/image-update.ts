import { type AppSpec, type ImagePolicy, WheelhouseError } from '../../core/index.js';
import {
  kustomizeImages,
  setImageReferences,
  setKustomizeImage,
  setYamlValue,
  type Worktree,
} from '../../writeback/index.js';
import type { Operation } from '../operation.js';
import { appSpec } from './app-source.js';
import { appArg, text } from './args.js';
import { commitAndApply } from './commit-and-apply.js';
import type { OperationDeps } from './deps.js';
import { helmValueFiles, readFromDir } from './helm-values.js';
import { kustomizationOf, readManifests, writeManifest } from './manifest-files.js';

/** The actor image automation acts as: bind it a role in `access:` for the apps it may update. */
export const IMAGE_BOT = 'wheelhouse:image-automation';

/**
 * `image-update`: write a newer version of an image an app's `images:` policy names to Git, like
 * a person's `set` (same permission, approvals and locks), with a `Wheelhouse-Image: old -> new`
 * trailer. Where it is written: the Helm values path of the policy, else the `images:` entry of
 * the app's kustomization, else every `image:` field of that repository in its manifests and
 * Compose files.
 */
export function imageUpdateOperation(deps: OperationDeps): Operation {
  return {
    name: 'image-update',
    app: appArg,
    describe: (args) =>
      `update image ${String(args.image)} of ${String(args.app)} to ${String(args.tag ?? args.digest)}`,
    async run(ctx, args) {
      const app = text(args, 'app');
      const image = text(args, 'image');
      const tag = typeof args.tag === 'string' ? args.tag : undefined;
      const digest = typeof args.digest === 'string' ? args.digest : undefined;
      if (!tag && !digest) throw new WheelhouseError('BAD_REQUEST', 'image-update needs a tag or a digest');
      const spec = appSpec(deps.engine.config(), app);
      const policy = spec.images?.find((p) => p.image === image);
      if (!policy) {
        throw new WheelhouseError(
          'NOT_FOUND',
          `app ${app} has no images: policy for ${image} in wheelhouse.yaml — add one under apps.${app}.images`,
          { details: { app } },
        );
      }
      const next = `${image}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
      let from = typeof args.from === 'string' ? args.from : image;
      return commitAndApply(deps, ctx, {
        command: 'image-update',
        spec,
        subject: `${app}: update ${image} to ${tag ?? digest}`,
        body: `A newer image matched the ${policy.rule.kind} policy of ${app}. To go back: \`rollback ${app}\` in chat, or revert this commit.`,
        trailers: () => [['Wheelhouse-Image', `${from} -> ${next}`]],
        unchanged: `${app} already runs ${next}; nothing to change`,
        async edit(worktree) {
          const found = await writeImage(worktree, spec, policy, next, tag, digest);
          if (found) from = found;
          return found !== undefined;
        },
      });
    },
  };
}

/** Writes the new reference; returns the reference it replaced, or undefined when nothing changed. */
async function writeImage(
  worktree: Worktree,
  spec: AppSpec,
  policy: ImagePolicy,
  next: string,
  tag: string | undefined,
  digest: string | undefined,
): Promise<string | undefined> {
  if (policy.helmValues) {
    const file = policy.helmValues.file ?? helmValueFiles(spec)[0];
    const current = file ? await readFromDir(worktree.dir)(file) : undefined;
    if (!file || current === undefined) {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `app ${spec.name}: the values file for ${policy.image} (${file ?? 'none declared'}) does not exist — set helmValues.file of the policy to the values file that holds ${policy.helmValues.path}`,
        { details: { app: spec.name } },
      );
    }
    const updated = setYamlValue(current, file, 0, policy.helmValues.path.split('.'), tag ?? digest ?? '');
    if (updated === current) return undefined;
    await writeManifest(worktree.dir, file, updated);
    return `${policy.image} (${file} ${policy.helmValues.path})`;
  }
  const files = await readManifests(worktree.dir, spec.path);
  const kustomization = kustomizationOf(files, spec.path);
  const entry =
    kustomization &&
    kustomizeImages(kustomization.text, kustomization.path).find((i) => i.name === policy.image);
  if (kustomization && entry) {
    const updated = setKustomizeImage(kustomization.text, kustomization.path, {
      name: policy.image,
      ...(entry.newName ? { newName: entry.newName } : {}),
      ...(tag ? { newTag: tag } : {}),
      ...(digest ? { digest } : {}),
    });
    if (updated === kustomization.text) return undefined;
    await writeManifest(worktree.dir, kustomization.path, updated);
    return `${policy.image}${entry.newTag ? `:${entry.newTag}` : ''}${entry.digest ? `@${entry.digest}` : ''}`;
  }
  let replaced: string | undefined;
  for (const file of files) {
    const result = setImageReferences(file.text, file.path, policy.image, () => next);
    if (result.changed.length === 0) continue;
    replaced ??= result.changed[0]?.from;
    await writeManifest(worktree.dir, file.path, result.text);
  }
  if (replaced === undefined && !files.some((f) => f.text.includes(next))) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `app ${spec.name}: no image: field under ${spec.path} uses ${policy.image} — write the image there (or a kustomize images: entry, or helmValues on the policy)`,
      { details: { app: spec.name } },
    );
  }
  return replaced;
}
