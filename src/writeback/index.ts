// Write-back: desired-state edits as Git commits by the person who asked (YAML kept intact), pushed with retries.
export { type CommitMessage, formatCommitMessage, wheelhouseTrailers } from './commit-message.js';
export { imageReferences, setImageReferences } from './image-edits.js';
export {
  type KustomizeImage,
  kustomizeImages,
  setKustomizeImage,
  setKustomizeLiteral,
  setKustomizeReplicas,
} from './kustomize-edits.js';
export {
  findAppIndex,
  findResource,
  isManifestPath,
  type ManifestFile,
  type ManifestLocation,
} from './manifests.js';
export { type CommitSigning, signingFromEnv } from './signing.js';
export { copyTree, restorePath } from './tree-ops.js';
export { createWorktree, type Worktree } from './worktree.js';
export {
  checkBranchName,
  createWriteBack,
  type WriteBack,
  type WriteBackGit,
  type WriteBackOptions,
  type WriteBackRequest,
  type WriteBackResult,
} from './write-back.js';
export {
  formatScalar,
  parseDocuments,
  plainSafe,
  setYamlValue,
  type YamlPath,
  type YamlValue,
} from './yaml-edit.js';
