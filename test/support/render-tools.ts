import { existsSync } from 'node:fs';
import { DEFAULT_TOOL_TIMEOUT_MS, type ToolOptions } from '../../src/render/index.js';
import { missingComponent } from './components.js';
import { KUBE_BUILD_COMMAND, kubeBinary } from './kube/binaries.js';

/** kustomize and helm as built by build.mjs from the versions pinned in versions.json. */
export const kustomizeBinary = kubeBinary('kustomize');
export const helmBinary = kubeBinary('helm');

export const kustomizeMissing = missingComponent(
  'kustomize',
  `${KUBE_BUILD_COMMAND} kustomize`,
  existsSync(kustomizeBinary),
);
export const helmMissing = missingComponent('helm', `${KUBE_BUILD_COMMAND} helm`, existsSync(helmBinary));

export const toolOptions: ToolOptions = {
  binaries: { kustomize: kustomizeBinary, helm: helmBinary },
  timeoutMs: DEFAULT_TOOL_TIMEOUT_MS,
};
