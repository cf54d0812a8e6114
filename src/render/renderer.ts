import type { Resource, SourceFile, SourceLocation, ValidationIssue } from '../core/index.js';
import type { ParsedYaml } from './yaml/index.js';

/** One resource a renderer produced, with where it came from (for errors and `diff`). */
export interface RenderedDocument {
  resource: Resource;
  origin: SourceLocation;
  /**
   * Optional: where a field of `resource` is written (e.g. `['spec', 'health', 'url']`), so spec
   * errors found later point at the exact line:column; without it they point at `origin`.
   */
  locate?(path: readonly (string | number)[], at?: 'key' | 'value'): SourceLocation;
}

export interface RenderOutput {
  documents: RenderedDocument[];
  issues: ValidationIssue[];
}

/**
 * Turns files of one format into resources. Renderers are tried in registration order; the first
 * that claims a file renders it (compose files before plain manifests). Pure: no I/O.
 */
export interface Renderer {
  readonly name: string;
  /** `files`: every file of the revision, for formats whose files are named by others (compose `include`). */
  claims(path: string, files?: readonly SourceFile[]): boolean;
  /**
   * `files` holds every file of the app's path, for formats that reference others (env_file);
   * `foreign` is set when the target's driver takes its platform's own manifests (Kubernetes).
   */
  render(file: SourceFile, context: RenderContext): RenderOutput;
}

export interface RenderContext {
  files: readonly SourceFile[];
  app: string;
  foreign?: boolean;
  /** Compose profiles the app enables (`compose.profiles` in wheelhouse.yaml). */
  profiles?: readonly string[];
  /** Manifests already parsed (by the engine, on a worker thread); others are parsed here. */
  parsed?: ReadonlyMap<SourceFile, ParsedYaml>;
}
