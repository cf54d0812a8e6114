// Render tools: kustomize and helm run over the repo tree before the manifest renderer reads their output.
export { DEFAULT_TOOL_TIMEOUT_MS, toolOptionsFromEnv } from './binaries.js';
export { renderWithTool, type ToolRendered, toolFor } from './render-with-tool.js';
export type { ToolOptions, ToolRenderer, ToolRenderInput, ToolRenderOutput } from './tool-renderer.js';
export { renderToolVersions } from './versions.js';
