import { parseAllDocuments } from 'yaml';
import type { ValidationIssue } from '../../core/index.js';

const HELM_HOOK = 'helm.sh/hook';
const WHEELHOUSE_HOOK = 'wheelhouse/hook';

/** Helm hooks that mean what Wheelhouse's hooks mean; the others have no counterpart. */
const HOOK_PHASES: Readonly<Record<string, 'PreSync' | 'PostSync'>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

export interface MappedHooks {
  manifests: string;
  warnings: ValidationIssue[];
}

/**
 * `helm template` prints hooks as ordinary objects with a `helm.sh/hook` annotation. Those that
 * run before or after an install/upgrade become Wheelhouse PreSync/PostSync hooks; the others
 * (test, pre-delete, pre-rollback, ...) are left out, each with a warning naming its template.
 */
export function mapHelmHooks(manifests: string, chartPath: string): MappedHooks {
  const warnings: ValidationIssue[] = [];
  const kept: string[] = [];
  for (const doc of parseAllDocuments(manifests)) {
    const hooks = doc.getIn(['metadata', 'annotations', HELM_HOOK]);
    if (typeof hooks !== 'string') {
      if (doc.contents !== null) kept.push(doc.toString());
      continue;
    }
    const names = hooks
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const phases = new Set(names.flatMap((name) => HOOK_PHASES[name] ?? []));
    const [phase] = phases;
    const contents = doc.contents as { commentBefore?: string | null } | null;
    const template = sourceTemplate(doc.commentBefore ?? contents?.commentBefore, chartPath);
    const what = `${String(doc.getIn(['kind']))} "${String(doc.getIn(['metadata', 'name']))}"`;
    const warn = (message: string) =>
      warnings.push({ file: template, line: 1, column: 1, path: '', message });
    if (!phase) {
      warn(
        `${what} is a helm "${hooks}" hook, which Wheelhouse has no counterpart for; it is not applied — drop it, or make it a pre-/post-install hook`,
      );
      continue;
    }
    if (phases.size > 1 || names.some((name) => !(name in HOOK_PHASES))) {
      warn(`${what} is a helm "${hooks}" hook; Wheelhouse runs it as ${phase} only`);
    }
    doc.setIn(['metadata', 'annotations', WHEELHOUSE_HOOK], phase);
    kept.push(doc.toString());
  }
  return { manifests: kept.join('---\n'), warnings };
}

/** `# Source: web/templates/job.yaml` -> `<chart path>/templates/job.yaml`. */
function sourceTemplate(comment: string | null | undefined, chartPath: string): string {
  const source = /Source:\s*(\S+)/.exec(comment ?? '')?.[1];
  if (!source) return chartPath;
  const inChart = source.split('/').slice(1).join('/');
  return chartPath ? `${chartPath}/${inChart}` : inChart;
}
