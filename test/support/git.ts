import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

/** Run git in `dir` and return trimmed stdout. */
export async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: dir, env: gitEnv, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** File contents by path; `null` deletes the file. */
export type FileTree = Record<string, string | null>;

export async function writeTree(dir: string, files: FileTree): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      await rm(full, { force: true });
    } else {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
  }
}

/** A working repository on branch `main` with one commit holding `files`. Returns its HEAD sha. */
export async function createRepo(dir: string, files: FileTree, message = 'initial'): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  await git(dir, 'config', 'user.name', 'Test Author');
  await git(dir, 'config', 'user.email', 'author@example.test');
  return commitFiles(dir, files, message);
}

/** Write (or delete, with null) files, commit everything, return the new HEAD sha. */
export async function commitFiles(
  dir: string,
  files: FileTree,
  message: string,
  author?: { name: string; email: string },
): Promise<string> {
  await writeTree(dir, files);
  await git(dir, 'add', '--all');
  const args = ['commit', '--quiet', '--allow-empty', '-m', message];
  if (author) args.push(`--author=${author.name} <${author.email}>`);
  await git(dir, ...args);
  return git(dir, 'rev-parse', 'HEAD');
}
