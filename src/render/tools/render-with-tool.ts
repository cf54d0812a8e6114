import type { AppSpec, SourceFile, ValidationIssue } from '../../core/index.js';
import { toolRenderers } from '../tool-renderers.js';
import type { ToolRenderer, ToolRenderInput } from './tool-renderer.js';

export interface ToolRendered {
  tool: string;
  /** The tool's output as the app's only file, for `renderApp` (empty when the tool failed). */
  files: SourceFile[];
  issues: ValidationIssue[];
  warnings: ValidationIssue[];
  /** The target options `renderApp` reads, with the tool's namespace as the default namespace. */
  targetOptions: Record<string, unknown>;
}

/** The tool renderer that claims an app, if any (kustomize, helm). */
export function toolFor(
  app: AppSpec,
  files: readonly SourceFile[],
  renderers: readonly ToolRenderer[] = toolRenderers,
): ToolRenderer | undefined {
  return renderers.find((r) => r.claims(app, files));
}

/**
 * Runs the tool that claims the app and hands its manifests on as one file named after the
 * tool, `<path>/[kustomize build].yaml`, so problems in them point at the tool's output.
 */
export async function renderWithTool(tool: ToolRenderer, input: ToolRenderInput): Promise<ToolRendered> {
  const output = await tool.render(input);
  const base = input.app.path === '.' || input.app.path === '' ? '' : `${input.app.path}/`;
  const files: SourceFile[] =
    output.manifests === undefined
      ? []
      : [
          {
            path: `${base}[${tool.name} ${tool.name === 'helm' ? 'template' : 'build'}].yaml`,
            content: Buffer.from(output.manifests),
          },
        ];
  const targetOptions =
    output.namespace === undefined
      ? input.targetOptions
      : { ...input.targetOptions, namespace: output.namespace };
  return { tool: tool.name, files, issues: output.issues, warnings: output.warnings, targetOptions };
}
