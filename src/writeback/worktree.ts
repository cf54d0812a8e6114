import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type GitResult, type RunGitOptions, runGit } from '../source/git/index.js';

/** A throwaway working copy for one write-back, sharing objects with the bare mirror. */
export interface Worktree {
  dir: string;
  git(args: readonly string[], options?: Omit<RunGitOptions, 'cwd'>): Promise<GitResult>;
  remove(): Promise<void>;
}

/**
 * `git clone --shared` from the mirror: a clean checkout in milliseconds whose commits live in its
 * own object store, so the mirror (which the engine reads) is never written to.
 */
export async function createWorktree(input: {
  mirrorDir: string;
  root: string;
  revision: string;
  timeoutMs?: number;
}): Promise<Worktree> {
  await mkdir(input.root, { recursive: true });
  const dir = await mkdtemp(join(input.root, 'op-'));
  const timeoutMs = input.timeoutMs ?? 120_000;
  const git = (args: readonly string[], options: Omit<RunGitOptions, 'cwd'> = {}) =>
    runGit(args, { timeoutMs, ...options, cwd: dir });
  try {
    await runGit(['clone', '--quiet', '--shared', '--no-checkout', '--', input.mirrorDir, dir], {
      timeoutMs,
      what: 'write-back checkout',
    });
    await git(['checkout', '--quiet', '--detach', input.revision, '--'], { what: 'write-back checkout' });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, git, remove: () => rm(dir, { recursive: true, force: true, maxRetries: 3 }) };
}
