import type { ControlConfig, ValidationIssue } from '../core/index.js';
import { orderIssues } from '../render/index.js';
import { CONTROL_YAML_LIMITS, parseYaml, type YamlDocument, type YamlLimits } from '../render/yaml/index.js';
import { type AppProblem, appSourceProblems } from './app-sources.js';
import { buildConfig, type ControlRepo } from './build-config.js';
import { crossCheck } from './cross-checks.js';
import { dependencyIssues } from './dependency-checks.js';
import { locateZodIssues, zodErrorMap } from './issues.js';
import { controlSchema } from './schema/control.js';
import { type TargetOptionsCheck, targetOptionIssues } from './target-options.js';

export interface ParseControlConfigInput {
  text: string | Buffer;
  /** The file name to report (normally `wheelhouse.yaml`). */
  file: string;
  controlRepo: ControlRepo;
  /** Registered driver names; a target naming another driver is an error. */
  drivers: readonly string[];
  /** The drivers' own checks of `targets.*` options; without it only the driver name is checked. */
  checkTargetOptions?: TargetOptionsCheck;
  limits?: Partial<YamlLimits>;
}

export interface ParsedControlConfig {
  /**
   * Present when the file can be put in force: it has no issues, or only issues of single apps
   * (`appProblems`), whose apps carry their problem and are not reconciled.
   */
  config?: ControlConfig;
  /** Every problem in the file, in file order (those of single apps included). */
  issues: ValidationIssue[];
  /** The problems that fail one app alone (a source URL git would refuse). */
  appProblems: AppProblem[];
  /** The parsed document, to locate fields for later checks (e.g. an app path that does not exist). */
  document?: YamlDocument;
}

/**
 * Parses and validates wheelhouse.yaml. Reports every problem of the file at once (syntax,
 * schema, cross-field), each with its line:column and field path. Never throws on bad input.
 */
export function parseControlConfig(input: ParseControlConfigInput): ParsedControlConfig {
  const yaml = parseYaml({
    text: input.text,
    file: input.file,
    multiDocument: false,
    limits: { ...CONTROL_YAML_LIMITS, ...input.limits },
  });
  // A stray `---` may leave empty documents around the one with content.
  const document = yaml.documents.find((d) => !d.empty) ?? yaml.documents[0];
  const issues: ValidationIssue[] = [...yaml.issues];
  if (document && document.value === undefined)
    return { issues: orderIssues(issues), appProblems: [], document };
  if (yaml.documents.length === 0 && issues.length > 0) return { issues, appProblems: [] };

  // An empty file is a valid, empty control repo (the `local` target and no apps).
  const raw = document && !document.empty ? document.value : {};
  const result = controlSchema.safeParse(raw, { error: zodErrorMap, reportInput: true });
  const found = [
    ...(result.success ? [] : locateZodIssues(result.error.issues, input.file, document)),
    ...crossCheck(raw, input.file, document, input.drivers),
    ...dependencyIssues(raw, input.file, document),
    ...(input.checkTargetOptions
      ? targetOptionIssues(raw, input.file, document, input.checkTargetOptions)
      : []),
  ];
  // Where the parser recovered from a syntax error, schema complaints on that line are echoes.
  const syntaxLines = new Set(yaml.issues.map((i) => i.line));
  issues.push(...found.filter((issue) => !syntaxLines.has(issue.line)));
  const appProblems = appSourceProblems(raw, input.file, document);

  const sorted = orderIssues([...issues, ...appProblems.map((p) => p.issue)]);
  const at = document ? { document } : {};
  if (issues.length > 0 || !result.success) return { issues: sorted, appProblems, ...at };
  const config = buildConfig(result.data, input.controlRepo, appProblems);
  return { config, issues: sorted, appProblems, ...at };
}
