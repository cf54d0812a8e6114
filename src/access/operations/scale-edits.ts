import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppSpec, WheelhouseError } from '../../core/index.js';
import { KUSTOMIZATION_FILES } from '../../util/index.js';
import { findResource, parseDocuments, setKustomizeReplicas, setYamlValue } from '../../writeback/index.js';
import { readManifests, writeManifest } from './manifest-files.js';

/** Kinds whose `spec.replicas` scale edits: processes, and Kubernetes workloads. */
const SCALABLE = ['Process', 'Deployment', 'StatefulSet'] as const;

/** The value charts made by `helm create` (and most others) read the replica count from. */
const HELM_REPLICAS_KEY = 'replicaCount';

/**
 * Writes `replicas` for `name` into the app's files in a working copy, the way the app declares
 * it: a manifest's `spec.replicas`; an overlay's `replicas:` for a Kustomize app; `replicaCount`
 * in the values file for a Helm app. Resolves false when the file already says so.
 */
export async function editReplicas(
  dir: string,
  spec: AppSpec,
  name: string,
  replicas: number,
): Promise<boolean> {
  if (spec.helm) return editHelmReplicas(dir, spec, replicas);
  const files = await readManifests(dir, spec.path);
  const base = spec.path === '.' ? '' : `${spec.path}/`;
  const kustomization = files.find((f) => KUSTOMIZATION_FILES.some((n) => f.path === `${base}${n}`));
  if (kustomization) {
    const next = setKustomizeReplicas(kustomization.text, kustomization.path, name, replicas);
    return write(dir, kustomization.path, kustomization.text, next);
  }
  const found = findResource(files, SCALABLE, name, spec.name);
  const file = files.find((f) => f.path === found.path);
  if (!file) return false;
  return write(
    dir,
    file.path,
    file.text,
    setYamlValue(file.text, file.path, found.docIndex, ['spec', 'replicas'], replicas),
  );
}

async function editHelmReplicas(dir: string, spec: AppSpec, replicas: number): Promise<boolean> {
  const files = [...(spec.helm?.valueFiles ?? [])].reverse();
  if (!spec.helm?.repository) files.push(`${spec.path === '.' ? '' : `${spec.path}/`}values.yaml`);
  for (const path of files) {
    const text = await readFile(join(dir, path), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const [doc] = parseDocuments(text, path);
    if (doc?.get(HELM_REPLICAS_KEY) === undefined) continue;
    return write(dir, path, text, setYamlValue(text, path, 0, [HELM_REPLICAS_KEY], replicas));
  }
  throw new WheelhouseError(
    'INPUT_REFUSED',
    `app ${spec.name} renders a Helm chart, and none of its values files (${files.join(', ') || 'none declared'}) sets ${HELM_REPLICAS_KEY}: the replica count is whatever value the chart reads — set it in a values file under helm.valueFiles in wheelhouse.yaml (or in helm.values) and commit`,
    { details: { app: spec.name } },
  );
}

async function write(dir: string, path: string, before: string, after: string): Promise<boolean> {
  if (after === before) return false;
  await writeManifest(dir, path, after);
  return true;
}
