import type { SourceFile } from '../../core/index.js';
import { CI_JOB_KIND } from '../ci-job-kind.js';
import type { RenderedDocument, Renderer, RenderOutput } from '../renderer.js';
import { type ParseYamlInput, parseYaml } from '../yaml/index.js';
import { API_VERSION, readEnvelope } from './envelope.js';
import { readForeignEnvelope } from './foreign-envelope.js';

/**
 * Plain manifests: every `*.yaml` / `*.yml` file, several documents per file, empty documents
 * skipped. Each document is one resource in the `wheelhouse/v1` envelope, or, for a target whose
 * driver takes its platform's own manifests, one platform object (`foreign-envelope.ts`).
 */
export const plainManifestRenderer: Renderer = {
  name: 'manifest',
  claims: (path) => /\.ya?ml$/i.test(path),
  render(file: SourceFile, context): RenderOutput {
    // Engine kinds (`wheelhouse/v1` CIJob) keep their envelope among a platform's manifests.
    const readerOf = (value: unknown) =>
      context.foreign && !isEngineDocument(value) ? readForeignEnvelope : readEnvelope;
    const yaml = context.parsed?.get(file) ?? parseYaml(manifestYamlInput(file));
    const output: RenderOutput = { documents: [], issues: [...yaml.issues] };
    const syntaxLines = new Set(yaml.issues.map((issue) => issue.line));
    for (const doc of yaml.documents) {
      if (doc.empty || doc.value === undefined) continue;
      const { resource, issues } = readerOf(doc.value)(doc.value, doc, file.path);
      // After a syntax error the parser's recovery can leave odd shapes: report the syntax error only.
      output.issues.push(...issues.filter((issue) => !syntaxLines.has(issue.line)));
      if (!resource || doc.hasErrors) continue;
      const rendered: RenderedDocument = {
        resource,
        origin: { file: file.path, ...doc.position },
        locate: (path, at) => ({ file: file.path, ...doc.locate(path, at) }),
      };
      output.documents.push(rendered);
    }
    return output;
  },
};

/** How a manifest file is parsed (also ahead of rendering, on a worker: `RenderContext.parsed`). */
export function manifestYamlInput(file: SourceFile): ParseYamlInput {
  return {
    text: file.content,
    file: file.path,
    multiDocument: true,
    ...(file.size === undefined ? {} : { size: file.size }),
  };
}

function isEngineDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { apiVersion, kind } = value as Record<string, unknown>;
  return apiVersion === API_VERSION && kind === CI_JOB_KIND;
}
