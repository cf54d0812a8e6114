// SOPS: files encrypted with SOPS in an app's path, decrypted in memory at render time.

export { sopsOptionsForApp } from './app-keys.js';
export { type ClearTree, withClearTree } from './clear-tree.js';
export { type Decrypted, decryptSopsFiles, type SopsOptions, sopsOptionsFromEnv } from './decrypt.js';
export { type SopsFormat, sopsFormat } from './detect.js';
