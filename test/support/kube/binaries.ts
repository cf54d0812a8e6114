import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { kubeDataFile } from './data-file.js';

/** One Go-built component as pinned in versions.json (the file build.mjs reads too). */
interface Component {
  version: string;
  binaries: Record<string, string>;
}

const versions = JSON.parse(readFileSync(kubeDataFile('versions.json'), 'utf8')) as Record<string, Component>;

/** Where build.mjs puts the binaries: `<cache>/<component>-<version>/<binary>`. */
export const kubeCacheRoot = process.env.WHEELHOUSE_TEST_CACHE || join(homedir(), '.cache', 'wheelhouse');

/** The command that builds whatever is missing (idempotent). */
export const KUBE_BUILD_COMMAND = 'node test/support/kube/build.mjs';

/** The binaries the control plane runs. */
export type KubeBinary =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubectl'
  | 'kwok'
  | 'kustomize'
  | 'helm'
  | 'sops'
  | 'gitea';

const paths = new Map<string, string>();
for (const [name, component] of Object.entries(versions)) {
  for (const binary of Object.keys(component.binaries)) {
    paths.set(binary, join(kubeCacheRoot, `${name}-${component.version}`, binary));
  }
}

/** Absolute path of a built binary (whether or not it exists yet). */
export function kubeBinary(binary: KubeBinary): string {
  const path = paths.get(binary);
  if (!path) throw new Error(`${binary} is not pinned in test/support/kube/versions.json`);
  return path;
}

/** The pinned versions, e.g. `{ kube: 'v1.37.2', etcd: 'v3.6.8', kwok: 'v0.8.0' }`. */
export const kubeVersions: Record<string, string> = Object.fromEntries(
  Object.entries(versions).map(([name, component]) => [name, component.version]),
);

/** Paths of the binaries that are not built yet. */
export function missingKubeBinaries(): string[] {
  const all: KubeBinary[] = [
    'etcd',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kubectl',
    'kwok',
  ];
  return all.map(kubeBinary).filter((path) => !existsSync(path));
}
