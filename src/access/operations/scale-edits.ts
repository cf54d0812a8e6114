import { type AppSpec, WheelhouseError } from '../../core/index.js';
import { findResource, setKustomizeReplicas, setYamlValue } from '../../writeback/index.js';
import { helmFilesText, readFromDir, valuesFileWith } from './helm-values.js';
import { kustomizationOf, readManifests, writeManifest } from './manifest-files.js';

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
  const kustomization = kustomizationOf(files, spec.path);
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
  const found = await valuesFileWith(spec, readFromDir(dir), HELM_REPLICAS_KEY);
  if (found) {
    return write(
      dir,
      found.path,
      found.text,
      setYamlValue(found.text, found.path, 0, [HELM_REPLICAS_KEY], replicas),
    );
  }
  throw new WheelhouseError(
    'INPUT_REFUSED',
    `app ${spec.name} renders a Helm chart, and none of its values files (${helmFilesText(spec)}) sets ${HELM_REPLICAS_KEY}: the replica count is whatever value the chart reads — set it in a values file under helm.valueFiles in wheelhouse.yaml (or in helm.values) and commit`,
    { details: { app: spec.name } },
  );
}

async function write(dir: string, path: string, before: string, after: string): Promise<boolean> {
  if (after === before) return false;
  await writeManifest(dir, path, after);
  return true;
}
