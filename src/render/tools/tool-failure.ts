import type { ValidationIssue } from '../../core/index.js';
import { installHint } from './binaries.js';
import type { ToolRun } from './run-tool.js';

/**
 * A failed tool run as a render problem on the file that asked for it (kustomization.yaml,
 * Chart.yaml): the tool's own words, without the temporary directory it ran in.
 */
export function toolFailure(
  tool: string,
  file: string,
  run: Extract<ToolRun, { ok: false }>,
  repoDir: string,
): ValidationIssue {
  const said = run.message.split(`${repoDir}/`).join('').split(repoDir).join('.');
  const fix =
    run.reason === 'missing'
      ? installHint(tool)
      : run.reason === 'timeout'
        ? 'make the render smaller, or check that it does not wait on the network'
        : 'fix the file and commit';
  return {
    file,
    line: 1,
    column: 1,
    path: '',
    message: `${tool} ${run.reason === 'missing' ? 'is not available' : 'failed'}: ${said} — ${fix}`,
  };
}
