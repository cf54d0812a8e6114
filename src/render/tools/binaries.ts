import type { ToolOptions } from './tool-renderer.js';

/** A render that takes longer is stopped and reported. */
export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

/**
 * The tools as configured by the environment: `WHEELHOUSE_KUSTOMIZE` / `WHEELHOUSE_HELM` name a
 * binary, else `kustomize` / `helm` are looked up on PATH.
 */
export function toolOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ToolOptions {
  return {
    binaries: {
      kustomize: env.WHEELHOUSE_KUSTOMIZE || 'kustomize',
      helm: env.WHEELHOUSE_HELM || 'helm',
    },
    timeoutMs: DEFAULT_TOOL_TIMEOUT_MS,
  };
}

/** What to do when a tool is not found, for the render error. */
export function installHint(tool: string): string {
  const variable = `WHEELHOUSE_${tool.toUpperCase()}`;
  return `install ${tool} on the PATH of the Wheelhouse server, or set ${variable} to its path`;
}
