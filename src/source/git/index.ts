// Git sources: bare mirrors per repo URL, shared fetches, ref resolution, cheap tree ids, read-only trees.
export { ensureSshWrapper, type GitAuth, gitAuth, TOKEN_USERNAME } from './auth.js';
export { CatFileBatch, type ObjectContent, type ObjectInfo, type ObjectType } from './cat-file-batch.js';
export { parseCommits, parseTrailers } from './commits.js';
export { defaultBranch } from './default-branch.js';
export { createGitSource, DEFAULT_READ_LIMITS, type GitSource, type GitSourceDeps } from './git-source.js';
export type { ReadLimits } from './read-files.js';
export { isSemverRange, maxSatisfyingTag, tagVersion } from './refs.js';
export {
  classifyGitFailure,
  DEFAULT_GIT_TIMEOUT_MS,
  type GitResult,
  gitEnv,
  killGroup,
  type RunGitOptions,
  runGit,
  type SpawnHook,
} from './run-git.js';
export { normalizeRepoPath } from './tree-entries.js';
export { makeReadOnly, removeTree } from './tree-store.js';
export {
  mirrorName,
  normalizeRepoUrl,
  type ParsedRepoUrl,
  parseRepoUrl,
  REPO_URL_FORMS,
  redactSecrets,
  repoUrlProblem,
  sameRepo,
  sanitizeText,
  sanitizeUrl,
} from './url.js';
