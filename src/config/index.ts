// Config: the control repo's wheelhouse.yaml (zod schema, defaults in one place, located errors)
// and `validateControlRepo`, which checks a working tree's config and every app's manifests.
export type { ControlRepo } from './build-config.js';
export * from './defaults.js';
export {
  type ParseControlConfigInput,
  type ParsedControlConfig,
  parseControlConfig,
} from './parse-config.js';
export {
  type AppValidation,
  CONFIG_FILE,
  type RepoValidation,
  type ValidateRepoOptions,
  validateControlRepo,
} from './repo.js';
export { configSecretNames } from './secret-names.js';
export { type ClosedWindow, closedWindow, windowsFor } from './sync-windows.js';
export type { TargetOptionsCheck } from './target-options.js';
export * from './vocabulary.js';
