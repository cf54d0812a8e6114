import { existsSync } from 'node:fs';

/**
 * A data file of this folder (versions.json, kwok-stages.yaml). Beside the module when run from
 * source (vitest); when compiled into dist/test/support/kube by `npm run bench`'s build, which
 * copies no data files, the one in the source tree.
 */
export function kubeDataFile(name: string): URL {
  const beside = new URL(`./${name}`, import.meta.url);
  return existsSync(beside) ? beside : new URL(`../../../../test/support/kube/${name}`, import.meta.url);
}
