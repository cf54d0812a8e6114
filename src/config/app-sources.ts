import type { ValidationIssue } from '../core/index.js';
import type { YamlDocument } from '../render/yaml/index.js';
import { REPO_URL_FORMS, repoUrlProblem } from '../source/git/index.js';
import { located } from './issues.js';
import { isMapping } from './schema/fields.js';

/** A problem that makes one app unusable while the rest of wheelhouse.yaml stays in force. */
export interface AppProblem {
  /** Position of the app in `apps`. */
  index: number;
  issue: ValidationIssue;
}

/**
 * Checks each app's `source.repo` with the git layer's own URL rules (the rules the engine fetches
 * with), plus one of configuration: no credentials in Git. A bad source fails its app alone: the
 * engine shows the app with this problem and keeps managing every other app.
 */
export function appSourceProblems(raw: unknown, file: string, doc: YamlDocument | undefined): AppProblem[] {
  if (!isMapping(raw) || !Array.isArray(raw.apps)) return [];
  const problems: AppProblem[] = [];
  raw.apps.forEach((app: unknown, index: number) => {
    const source = isMapping(app) ? app.source : undefined;
    const repo = isMapping(source) ? source.repo : undefined;
    if (typeof repo !== 'string') return; // absent (the control repo) or a type error the schema reports
    const message = repoMessage(repo);
    if (message)
      problems.push({
        index,
        issue: located(file, doc, ['apps', index, 'source', 'repo'], 'value', message),
      });
  });
  return problems;
}

function repoMessage(repo: string): string | undefined {
  if (repo.trim() === '')
    return 'repo must not be empty — give the clone URL, or remove repo to use the control repo';
  const problem = repoUrlProblem(repo);
  if (problem) return `is not a usable repo URL: ${problem} — use ${REPO_URL_FORMS}`;
  // Credentials in the URL would end up in logs and the store: refuse them (without echoing).
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/i.exec(repo);
  if (!url) return undefined;
  const scheme = (url[1] ?? '').toLowerCase();
  const authority = url[2] ?? '';
  const userinfo = authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@')) : '';
  if (userinfo !== '' && (scheme.startsWith('http') || userinfo.includes(':'))) {
    return 'the URL carries a user name, password or token — remove it and name environment variables in auth.usernameEnv / auth.passwordEnv';
  }
  return undefined;
}
