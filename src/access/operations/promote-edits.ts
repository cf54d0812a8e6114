import { type AppSpec, WheelhouseError } from '../../core/index.js';
import { KUSTOMIZATION_FILES, shortSha } from '../../util/index.js';
import {
  copyTree,
  kustomizeImages,
  setKustomizeImage,
  setYamlValue,
  type Worktree,
} from '../../writeback/index.js';
import { helmFilesText, type ReadText, readFromDir, valuesFileWith } from './helm-values.js';
import { writeManifest } from './manifest-files.js';

/** The parts of a Helm `image` value promote carries over; pull policy and the rest stay the target's. */
const HELM_IMAGE_FIELDS = ['repository', 'tag', 'digest'] as const;

const atRevision =
  (worktree: Worktree, revision: string): ReadText =>
  async (path) => {
    const shown = await worktree.git(['show', `${revision}:${path}`], { okExitCodes: [128] });
    return shown.exitCode === 0 ? shown.stdout : undefined;
  };

async function kustomizationIn(read: ReadText, dir: string) {
  for (const name of KUSTOMIZATION_FILES) {
    const path = dir === '.' ? name : `${dir}/${name}`;
    const text = await read(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

const how = (spec: AppSpec, kustomized: boolean): string =>
  spec.helm ? 'a Helm chart' : kustomized ? 'a Kustomize overlay' : 'plain manifests';

/**
 * Makes `to` run what `from` runs at `revision`, in the way the apps are written: plain manifests
 * are copied whole; between Kustomize overlays only the `images:` entries travel (each overlay's
 * replicas, patches and generators are its environment's own); between Helm apps the `image` value
 * (repository, tag, digest). Anything else is refused, naming what to edit by hand.
 */
export async function promoteEdit(
  worktree: Worktree,
  revision: string,
  from: AppSpec,
  to: AppSpec,
): Promise<boolean> {
  const fromRead = atRevision(worktree, revision);
  const toRead = readFromDir(worktree.dir);
  if (from.helm && to.helm) return promoteHelmImage(worktree.dir, revision, fromRead, from, to);
  const fromKustomization = from.helm ? undefined : await kustomizationIn(fromRead, from.path);
  const toKustomization = to.helm ? undefined : await kustomizationIn(toRead, to.path);
  if (fromKustomization && toKustomization) {
    const images = kustomizeImages(fromKustomization.text, fromKustomization.path);
    if (images.length === 0) {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `${fromKustomization.path} declares no images: at ${shortSha(revision)}; promote between Kustomize overlays copies their images: entries (the rest of each overlay is its environment's own) — set the image in ${fromKustomization.path} (kustomize edit set image), or edit ${toKustomization.path} by hand, and commit`,
        { details: { app: from.name, file: fromKustomization.path } },
      );
    }
    let next = toKustomization.text;
    for (const image of images) next = setKustomizeImage(next, toKustomization.path, image);
    if (next === toKustomization.text) return false;
    await writeManifest(worktree.dir, toKustomization.path, next);
    return true;
  }
  const fromKind = how(from, fromKustomization !== undefined);
  const toKind = how(to, toKustomization !== undefined);
  if (fromKind !== toKind) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `${from.name} is ${fromKind} and ${to.name} is ${toKind}: promote copies between apps written the same way; edit ${to.path} by hand and commit`,
      { details: { app: to.name } },
    );
  }
  await copyTree(worktree, revision, from.path, to.path);
  return true;
}

async function promoteHelmImage(
  dir: string,
  revision: string,
  fromRead: ReadText,
  from: AppSpec,
  to: AppSpec,
): Promise<boolean> {
  const source = await valuesFileWith(from, fromRead, 'image');
  if (!source) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `none of ${from.name}'s values files (${helmFilesText(from)}) sets image at ${shortSha(revision)}: promote between Helm apps copies the image value; set it in a values file of ${from.name}, or edit ${to.name}'s values by hand, and commit`,
      { details: { app: from.name } },
    );
  }
  const own = to.helm?.valueFiles?.at(-1);
  const found = await valuesFileWith(to, readFromDir(dir), 'image');
  const target =
    found ?? (own ? { path: own, text: (await readFromDir(dir)(own)) ?? '', value: undefined } : undefined);
  if (!target) {
    throw new WheelhouseError(
      'INPUT_REFUSED',
      `${to.name} declares no values file of its own (helm.valueFiles) to write the image into: add one in wheelhouse.yaml, then promote again`,
      { details: { app: to.name } },
    );
  }
  let next = target.text;
  if (typeof source.value === 'string' || typeof source.value === 'number') {
    if (target.value !== undefined && typeof target.value === 'object') {
      throw new WheelhouseError(
        'INPUT_REFUSED',
        `${source.path} writes image as one string and ${target.path} as a map: promote cannot translate between them; edit ${target.path} by hand and commit`,
        { details: { app: to.name, file: target.path } },
      );
    }
    next = setYamlValue(next, target.path, 0, ['image'], String(source.value));
  } else {
    const fields = (source.value ?? {}) as Record<string, unknown>;
    for (const field of HELM_IMAGE_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string' || typeof value === 'number')
        next = setYamlValue(next, target.path, 0, ['image', field], String(value));
    }
  }
  if (next === target.text) return false;
  await writeManifest(dir, target.path, next);
  return true;
}
