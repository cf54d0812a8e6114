import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceFile, ValidationIssue } from '../../core/index.js';
import { decryptSopsFiles, type SopsOptions } from './decrypt.js';
import { sopsFormat } from './detect.js';

/** Memory-backed where the system has one, so clear text never lands on a disk. */
const CLEAR_PARENT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export interface ClearTree<T> {
  /** What `run` returned; absent when a SOPS file could not be decrypted. */
  result?: T;
  issues: ValidationIssue[];
  /** Clear values decrypted: secrets, to be masked everywhere. */
  secrets: string[];
}

/**
 * Runs a tool that reads files from disk (kustomize, helm) over `repoDir`, with every SOPS file
 * under `inputPaths` (repo-relative; `''` is the whole tree) readable in clear. Without SOPS files
 * `run` gets `repoDir` itself. With them it gets a private copy (mode 0700) in memory-backed
 * storage (`/dev/shm`) holding the clear text, removed as soon as `run` returns.
 */
export async function withClearTree<T>(
  repoDir: string,
  inputPaths: readonly string[],
  options: SopsOptions,
  run: (dir: string) => Promise<T>,
): Promise<ClearTree<T>> {
  const encrypted = await sopsFilesUnder(repoDir, inputPaths);
  if (encrypted.length === 0) return { result: await run(repoDir), issues: [], secrets: [] };
  const decrypted = await decryptSopsFiles(encrypted, options);
  if (decrypted.issues.length > 0) return { issues: decrypted.issues, secrets: decrypted.secrets };
  const dir = await mkdtemp(join(CLEAR_PARENT, 'wheelhouse-clear-'));
  try {
    await chmod(dir, 0o700);
    await cp(repoDir, dir, { recursive: true, verbatimSymlinks: true });
    for (const file of decrypted.files) {
      const target = join(dir, file.path);
      await rm(target, { force: true });
      await writeFile(target, file.content, { mode: 0o600 });
    }
    return { result: await run(dir), issues: [], secrets: decrypted.secrets };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The SOPS files under the input paths, with repo-relative paths (`.git` skipped). */
async function sopsFilesUnder(repoDir: string, inputPaths: readonly string[]): Promise<SourceFile[]> {
  const roots = inputPaths.includes('') ? [''] : [...new Set(inputPaths)];
  const found: SourceFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(repoDir, rel), { withFileTypes: true }).catch(() => null);
    if (entries === null) {
      if (/\.(ya?ml|json|env)$|(^|\/)\.env/.test(rel)) await consider(rel);
      return;
    }
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) await consider(path);
    }
  };
  const consider = async (path: string) => {
    const content = await readFile(join(repoDir, path)).catch(() => null);
    if (content && sopsFormat(path, content.toString('utf8'))) found.push({ path, content });
  };
  for (const root of roots) await walk(root);
  return found;
}
