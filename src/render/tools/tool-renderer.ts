import type { AppSpec, SourceFile, ValidationIssue } from '../../core/index.js';

/** Where the render tools are and how long a render may take; defaults in `binaries.ts`. */
export interface ToolOptions {
  /** Binary per tool name (`kustomize`, `helm`): a path, or a name looked up on PATH. */
  binaries: Readonly<Record<string, string>>;
  timeoutMs: number;
}

export interface ToolRenderInput {
  app: AppSpec;
  /** Files of the app's path (to tell which tool claims it). */
  files: readonly SourceFile[];
  /** A read-only directory holding the whole repo tree at the revision. */
  repoDir: string;
  targetOptions: Record<string, unknown>;
  options: ToolOptions;
}

export interface ToolRenderOutput {
  /** The tool's manifests as one YAML stream; absent when the render failed (see `issues`). */
  manifests?: string;
  issues: ValidationIssue[];
  /** Things the render left out or changed that a person should know (helm hooks with no match). */
  warnings: ValidationIssue[];
  /** Where objects without a namespace go, when the tool decides it (helm's release namespace). */
  namespace?: string;
}

/**
 * A renderer that runs an external tool over a directory (kustomize, helm), before the plain
 * manifest renderer reads what it printed. Unlike `Renderer` it does I/O, so it runs in the
 * engine's render step and its output is cached by the app's input trees (`inputPaths`).
 */
export interface ToolRenderer {
  readonly name: string;
  claims(app: AppSpec, files: readonly SourceFile[]): boolean;
  /** Repo paths whose trees the render reads (a change there renders again). */
  inputPaths(app: AppSpec): string[];
  render(input: ToolRenderInput): Promise<ToolRenderOutput>;
}
