// Kustomize apps: `kustomize build` over the app's path (an overlay), bases from the repo only.
export { kustomizeRenderer } from './kustomize-renderer.js';
