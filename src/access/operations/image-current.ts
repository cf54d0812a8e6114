import type { AppSpec, ImagePolicy, RepoRef, SourceProvider } from '../../core/index.js';
import { imageReferences, isManifestPath, kustomizeImages } from '../../writeback/index.js';

/**
 * The reference of a policy's image the app's manifests hold at `revision`: its kustomize
 * `images:` entry, else the first `image:` field of that repository. Undefined when neither is
 * there (a Helm values path is not read back).
 */
export async function currentImage(
  source: Pick<SourceProvider, 'readFiles'>,
  repo: RepoRef,
  revision: string,
  spec: AppSpec,
  policy: ImagePolicy,
): Promise<string | undefined> {
  const files = await source.readFiles(repo, revision, spec.path);
  for (const file of files.filter((f) => isManifestPath(f.path))) {
    const text = file.content.toString('utf8');
    const entry = kustomizeImages(text, file.path).find((i) => i.name === policy.image);
    if (entry)
      return `${policy.image}${entry.newTag ? `:${entry.newTag}` : ''}${entry.digest ? `@${entry.digest}` : ''}`;
    const [found] = imageReferences(text, file.path, policy.image);
    if (found) return found;
  }
  return undefined;
}
