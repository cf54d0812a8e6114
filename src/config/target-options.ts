import type { TargetSpec, ValidationIssue } from '../core/index.js';
import type { YamlDocument } from '../render/yaml/index.js';
import { isMapping } from './schema/fields.js';

/**
 * Asks a target's driver whether it accepts the target's options, without starting it; returns
 * the driver's refusal (which names the fields), or nothing.
 */
export type TargetOptionsCheck = (target: TargetSpec) => string | undefined;

/**
 * The driver's own option checks, run when wheelhouse.yaml is validated: a target with a mistyped
 * option is refused with file:line here, not found later when an app on it cannot be set up.
 */
export function targetOptionIssues(
  raw: unknown,
  file: string,
  doc: YamlDocument | undefined,
  check: TargetOptionsCheck,
): ValidationIssue[] {
  if (!isMapping(raw) || !isMapping(raw.targets)) return [];
  const issues: ValidationIssue[] = [];
  for (const [name, target] of Object.entries(raw.targets)) {
    if (!isMapping(target) || typeof target.driver !== 'string') continue;
    const { driver, ...options } = target;
    const refused = check({ name, driver, options });
    if (refused === undefined) continue;
    const nested = isMapping(options.options)
      ? ` (options go directly under the target, e.g. targets.${name}.${Object.keys(options.options)[0] ?? 'host'}, not under an options: key)`
      : '';
    const where = doc?.locate(['targets', name], 'key') ?? { line: 1, column: 1 };
    issues.push({
      file,
      line: where.line,
      column: where.column,
      path: `targets.${name}`,
      message: `${refused.replace(/\s*\n\s*/g, ' ')}${nested}`,
    });
  }
  return issues;
}
