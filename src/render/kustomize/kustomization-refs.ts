import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import type { ValidationIssue } from '../../core/index.js';
import { KUSTOMIZATION_FILES } from '../../util/index.js';

/** The names `kustomize build` looks for in a directory, in its order. */

/** Fields of a kustomization that name other bases or components. */
const REF_FIELDS = ['resources', 'bases', 'components'] as const;

/** A Git or HTTP base: `https://…`, `git@…`, `github.com/org/repo//path?ref=v1`, `ssh://…`. */
const REMOTE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/.*\?/i;

export interface RefCheck {
  /** Stay below this repo directory (`''`: the repo root). */
  root: string;
  allowRemote: boolean;
}

/**
 * Walks the kustomizations an app's build reaches, from its path through every local base and
 * component, and reports the remote bases (unless allowed) and local ones outside `root`: the
 * build reads only the repo at the revision, so its result depends on nothing else.
 */
export async function checkKustomizationRefs(
  repoDir: string,
  path: string,
  check: RefCheck,
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const found = await readKustomization(repoDir, dir);
    if (!found) return;
    const issue = (message: string): ValidationIssue => ({
      file: found.file,
      line: 1,
      column: 1,
      path: '',
      message,
    });
    for (const field of REF_FIELDS) {
      const list = found.value[field];
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        if (typeof entry !== 'string') continue;
        if (REMOTE.test(entry)) {
          if (!check.allowRemote) {
            issues.push(
              issue(
                `${field} names the remote base "${entry}"; Wheelhouse renders from the repo only — vendor the base into the repo, or set \`kustomize: { allowRemoteBases: true }\` on the app in wheelhouse.yaml`,
              ),
            );
          }
          continue;
        }
        const target = posix.normalize(posix.join(dir === '.' ? '' : dir, entry));
        if (target.startsWith('..') || !within(target, check.root)) {
          issues.push(
            issue(
              `${field} entry "${entry}" is outside ${check.root === '' || check.root === '.' ? 'the repository' : `the kustomize root ${check.root}`} — move it below the root, or widen \`kustomize.root\` for the app in wheelhouse.yaml`,
            ),
          );
          continue;
        }
        await visit(target);
      }
    }
  };
  await visit(path);
  return issues;
}

function within(path: string, root: string): boolean {
  if (root === '' || root === '.') return true;
  return path === root || path.startsWith(`${root}/`);
}

/** The kustomization in a repo directory, parsed; undefined when there is none (a plain file). */
async function readKustomization(
  repoDir: string,
  dir: string,
): Promise<{ file: string; value: Record<string, unknown> } | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = dir === '.' || dir === '' ? name : `${dir}/${name}`;
    let text: string;
    try {
      text = await readFile(join(repoDir, file), 'utf8');
    } catch {
      continue;
    }
    try {
      const value: unknown = parse(text);
      return {
        file,
        value: value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {},
      };
    } catch {
      // kustomize itself reports the syntax error, with its position.
      return { file, value: {} };
    }
  }
  return undefined;
}
