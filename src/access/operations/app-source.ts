import { type AppSpec, type ControlConfig, type RepoRef, WheelhouseError } from '../../core/index.js';
import type { OperationDeps } from './deps.js';

export function appSpec(config: ControlConfig, name: string): AppSpec {
  const spec = config.apps.find((a) => a.name === name);
  if (!spec) {
    throw new WheelhouseError('NOT_FOUND', `there is no app called ${name} in wheelhouse.yaml`, {
      details: { app: name },
    });
  }
  return spec;
}

/** The repository an app's manifests live in (the control repo unless it names another). */
export function repoOf(deps: OperationDeps, spec: AppSpec): RepoRef {
  if (spec.sourceIsControlRepo) {
    return { url: deps.controlRepo.url, ...(deps.controlRepo.auth ? { auth: deps.controlRepo.auth } : {}) };
  }
  return { url: spec.source.repo, ...(spec.source.auth ? { auth: spec.source.auth } : {}) };
}

export function branchOf(deps: OperationDeps, spec: AppSpec): string {
  return spec.sourceIsControlRepo ? deps.controlRepo.ref : spec.source.ref;
}
