import type { SourceFile, ValidationIssue } from '../../core/index.js';
import { parseYaml, type YamlDocument } from '../yaml/index.js';
import { dirOf, joinPath } from './paths.js';

/** File names claimed as Compose files (in any directory of an app). */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
] as const;

/** Override files `docker compose` reads after the file of the same family, when present. */
const OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  compose: ['compose.override.yaml', 'compose.override.yml'],
  'docker-compose': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
};

export const OVERRIDE_FILE_NAMES = Object.values(OVERRIDES).flat();

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const family = (path: string) => baseName(path).replace(/(\.override)?\.ya?ml$/, '');

/** The override file beside a compose file, if there is one. */
export function overrideOf(file: SourceFile, files: readonly SourceFile[]): SourceFile | undefined {
  const names = OVERRIDES[family(file.path)] ?? [];
  const dir = dirOf(file.path);
  return files.find((f) => names.some((name) => f.path === joinPath(dir, name)));
}

/** True when an override file has a compose file of its family beside it to apply to. */
export function hasBase(override: SourceFile, files: readonly SourceFile[]): boolean {
  const dir = dirOf(override.path);
  return COMPOSE_FILE_NAMES.some(
    (name) => family(name) === family(override.path) && files.some((f) => f.path === joinPath(dir, name)),
  );
}

/** One compose file parsed: its document, or the problems (YAML errors, an empty file). */
export function parseComposeFile(file: SourceFile): { doc?: YamlDocument; issues: ValidationIssue[] } {
  const yaml = parseYaml({
    text: file.content,
    file: file.path,
    ...(file.size === undefined ? {} : { size: file.size }),
  });
  const doc = yaml.documents[0];
  if (yaml.issues.length > 0) return { issues: yaml.issues };
  if (!doc || doc.empty || doc.value === undefined || doc.value === null) {
    const issue = {
      file: file.path,
      line: 1,
      column: 1,
      path: '',
      message: 'is empty — a compose file needs services:',
    };
    return { issues: [issue] };
  }
  return { doc, issues: [] };
}
