import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { git } from './git.js';

/** A bare repository at `dir` (branch `main`), e.g. under a git HTTP server's root. */
export async function createBareRepo(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '--bare', '--quiet', '--initial-branch=main');
  return dir;
}

/** Copy a working repo's branches and tags into a bare repo (created if needed), forcing updates. */
export async function publish(workDir: string, bareDir: string): Promise<void> {
  await createBareRepo(bareDir);
  await git(
    workDir,
    'push',
    '--quiet',
    '--force',
    '--prune',
    bareDir,
    '+refs/heads/*:refs/heads/*',
    '+refs/tags/*:refs/tags/*',
  );
}

export interface HistoryOptions {
  /** Number of commits on `main` (at least 1). */
  commits: number;
  /** Number of app directories `apps/app-NNNN/` created by the first commit. */
  apps: number;
}

export const appPath = (i: number): string => `apps/app-${String(i).padStart(4, '0')}`;

/**
 * Write a long history into a (bare or working) repo with one `git fast-import` process: the
 * first commit creates every app's `deploy.yaml`, each later commit edits one app in turn.
 * Returns the commit shas, oldest first.
 */
export async function writeHistory(repoDir: string, options: HistoryOptions): Promise<string[]> {
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let c = 1; c <= options.commits; c++) {
    const when = 1_700_000_000 + c * 60;
    parts.push(
      'commit refs/heads/main\n',
      `mark :${c}\n`,
      `author History Bot <bot@example.test> ${when} +0000\n`,
      `committer History Bot <bot@example.test> ${when} +0000\n`,
      data(`commit ${c}\n\nWheelhouse-Actor: test:bot\n`),
    );
    if (c > 1) parts.push(`from :${c - 1}\n`);
    const touched = c === 1 ? Array.from({ length: options.apps }, (_, i) => i) : [(c - 2) % options.apps];
    for (const i of touched) {
      parts.push(`M 100644 inline ${appPath(i)}/deploy.yaml\n`, data(`name: app-${i}\nrevision: ${c}\n`));
    }
    parts.push('\n');
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], {
      cwd: repoDir,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import failed: ${stderr}`)),
    );
    child.stdin.end(parts.join(''));
  });
  const list = await git(repoDir, 'rev-list', '--reverse', 'refs/heads/main');
  return list.split('\n');
}
