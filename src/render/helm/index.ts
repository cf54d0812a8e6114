// Helm apps: `helm template` of an in-repo chart or one from a chart repository; hooks mapped.
export { helmRenderer } from './helm-renderer.js';
export { mapHelmHooks } from './hooks.js';
