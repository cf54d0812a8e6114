import type { SourceFile } from '../../core/index.js';
import type { YamlPath } from '../yaml/index.js';
import { parseEnvFile } from './env-file.js';
import { interpolate, secretReference } from './interpolate.js';
import { joinPath } from './paths.js';
import type { Reader } from './reader.js';

export interface EnvOut {
  env: Record<string, string>;
  /** Read from the engine's environment at apply time; only the variable's name is kept. */
  secretEnv: Record<string, { fromEnv: string }>;
}

export interface EnvSources {
  /** Directory of the compose file (repo-relative). */
  dir: string;
  files: readonly SourceFile[];
  /** Variables of the `.env` file beside the compose file. */
  vars: ReadonlyMap<string, string>;
}

/**
 * `env_file:` (in order), then `environment:` on top. A value that is exactly `${VAR}` (with VAR
 * not in `.env`), a bare `KEY` in the list form, or `KEY:` with no value is read from the engine's
 * environment when the container is created: a secret that never lands in Git, labels or history.
 */
export function readEnvironment(
  reader: Reader,
  path: YamlPath,
  service: Record<string, unknown>,
  sources: EnvSources,
): EnvOut {
  const out: EnvOut = { env: {}, secretEnv: {} };
  const set = (key: string, value: string) => {
    delete out.secretEnv[key];
    out.env[key] = value;
  };
  const secret = (key: string, variable: string) => {
    delete out.env[key];
    out.secretEnv[key] = { fromEnv: variable };
  };
  if (service.env_file !== undefined)
    readEnvFiles(reader, [...path, 'env_file'], service.env_file, sources, set, secret);
  const environment = service.environment;
  if (environment === undefined || environment === null) return out;
  const envPath = [...path, 'environment'];
  const assign = (at: YamlPath, key: string, raw: unknown) => {
    if (raw === null || raw === undefined) {
      secret(key, key);
      return;
    }
    const text = reader.text(at, raw);
    if (text === undefined) return;
    const reference = secretReference(text);
    if (reference !== undefined && !sources.vars.has(reference)) {
      secret(key, reference);
      return;
    }
    const result = interpolate(text, sources.vars);
    if ('error' in result) reader.issue(at, result.error);
    else set(key, result.value);
  };
  if (Array.isArray(environment)) {
    environment.forEach((entry, i) => {
      const at = [...envPath, i];
      const text = reader.text(at, entry, 'KEY=VALUE');
      if (text === undefined) return;
      const eq = text.indexOf('=');
      const key = eq < 0 ? text : text.slice(0, eq);
      if (!validKey(reader, at, key)) return;
      assign(at, key, eq < 0 ? null : text.slice(eq + 1));
    });
  } else {
    const map = reader.map(envPath, environment, 'a mapping of KEY: value or a list of KEY=VALUE');
    if (!map) return out;
    for (const [key, raw] of Object.entries(map)) {
      if (!validKey(reader, [...envPath, key], key)) continue;
      assign([...envPath, key], key, raw);
    }
  }
  return out;
}

function validKey(reader: Reader, at: YamlPath, key: string): boolean {
  if (/^[^=\0\s]+$/.test(key)) return true;
  reader.issue(at, `"${key}" is not a variable name`, 'key');
  return false;
}

function readEnvFiles(
  reader: Reader,
  path: YamlPath,
  value: unknown,
  sources: EnvSources,
  set: (key: string, value: string) => void,
  secret: (key: string, variable: string) => void,
): void {
  const list = Array.isArray(value) ? value : [value];
  list.forEach((entry, i) => {
    const at = Array.isArray(value) ? [...path, i] : path;
    let file: string | undefined;
    let required = true;
    if (typeof entry === 'string') file = entry;
    else {
      const map = reader.map(at, entry, 'a file path or { path, required }');
      if (!map) return;
      reader.checkKeys(at, map, ['path', 'required']);
      file = reader.text([...at, 'path'], map.path);
      if (map.required !== undefined) required = reader.boolean([...at, 'required'], map.required) ?? true;
    }
    if (file === undefined) return;
    if (file.startsWith('/')) {
      reader.issue(
        at,
        `env file "${file}" must be a path relative to the compose file, inside the app's directory`,
      );
      return;
    }
    const full = joinPath(sources.dir, file);
    const found = full === undefined ? undefined : sources.files.find((f) => f.path === full);
    if (!found) {
      if (required) {
        reader.issue(
          at,
          `env file "${file}" is not in the app's files${full ? ` (looked for ${full})` : ''} — add it to the repository, fix the path, or mark it required: false`,
        );
      }
      return;
    }
    const parsed = parseEnvFile(found.content.toString('utf8'));
    for (const problem of parsed.problems)
      reader.issueIn(found.path, problem.line, problem.column, '', problem.message);
    for (const entry of parsed.entries) {
      if (entry.value === undefined) secret(entry.key, entry.key);
      else set(entry.key, entry.value);
    }
  });
}
