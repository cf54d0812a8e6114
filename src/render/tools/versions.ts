import { runTool } from './run-tool.js';
import type { ToolOptions } from './tool-renderer.js';

/** How each tool prints its version, and how to read it from the output. */
const VERSION_ARGS: Readonly<Record<string, string[]>> = {
  kustomize: ['version'],
  helm: ['version', '--short'],
};

/**
 * The version of each render tool (`kustomize: v5.8.1`), or why it is not usable
 * (`not found: install kustomize ...`), for the startup log.
 */
export async function renderToolVersions(options: ToolOptions, cwd: string): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(VERSION_ARGS).map(async ([tool, args]) => {
      const run = await runTool({
        binary: options.binaries[tool] ?? tool,
        args,
        cwd,
        timeoutMs: 10_000,
        network: false,
      });
      return [
        tool,
        run.ok ? (run.stdout.trim().split('\n')[0] ?? '') : `not usable (${run.message})`,
      ] as const;
    }),
  );
  return Object.fromEntries(entries);
}
