import type { SourceFile } from '../../core/index.js';
import type { YamlPath } from '../yaml/index.js';
import { parseEnvFile } from './env-file.js';
import type { Reader } from './reader.js';

/** Adds the variables of an env file (`.env`, an include's `env_file`) to `vars`; later files win. */
export function addVarsFrom(reader: Reader, file: SourceFile, vars: Map<string, string>): void {
  const parsed = parseEnvFile(file.content.toString('utf8'));
  for (const problem of parsed.problems)
    reader.issueIn(file.path, problem.line, problem.column, '', problem.message);
  for (const entry of parsed.entries) if (entry.value !== undefined) vars.set(entry.key, entry.value);
}

/**
 * Environment values are interpolated per service later (a `${VAR}` not in the variables names a
 * secret read from Wheelhouse's environment), so the whole-file pass leaves them as written.
 */
export const isEnvironmentValue = (path: YamlPath): boolean =>
  path.length >= 4 && path[0] === 'services' && path[2] === 'environment';
