// Render: an app's files -> validated desired resources. Pure (no I/O); renderers plug in by format.

export {
  CI_JOB_DEFAULT_TIMEOUT,
  CI_JOB_KIND,
  type CiJobSpec,
  ciJobKind,
  ciJobSpecOf,
} from './ci-job-kind.js';
export { helmRenderer, mapHelmHooks } from './helm/index.js';
export { orderIssues } from './issues.js';
export { kustomizeRenderer } from './kustomize/index.js';
export { manifestYamlInput, plainManifestRenderer } from './manifest/plain-renderer.js';
export { type RenderAppInput, type RenderAppResult, renderApp, WAVE_ANNOTATION } from './render-app.js';
export type { RenderContext, RenderedDocument, Renderer, RenderOutput } from './renderer.js';
export { renderers } from './renderers.js';
export * from './sops/index.js';
export { toolRenderers } from './tool-renderers.js';
export * from './tools/index.js';
export * from './yaml/index.js';
