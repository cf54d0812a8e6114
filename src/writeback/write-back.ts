import { join } from 'node:path';
import { errorMessage, type Logger, type RepoRef, WheelhouseError } from '../core/index.js';
import { type GitAuth, runGit } from '../source/git/index.js';
import { createBranchQueue } from './branch-queue.js';
import { type CommitMessage, formatCommitMessage } from './commit-message.js';
import { pushWithRebase } from './push-loop.js';
import { type CommitSigning, signingConfig, signingEnv } from './signing.js';
import { createWorktree, type Worktree } from './worktree.js';

/** The parts of the git layer write-back builds on (`GitSource` from `src/source/git`). */
export interface WriteBackGit {
  fetch(repo: RepoRef): Promise<unknown>;
  mirrorDir(repo: RepoRef): Promise<string>;
  auth(repo: RepoRef): Promise<GitAuth>;
}

export interface WriteBackOptions {
  git: WriteBackGit;
  /** Worktrees go under `<dataDir>/writeback`. */
  dataDir: string;
  log: Logger;
  /** Who commits (the author is the person who asked). */
  committer?: { name: string; email: string };
  /** Rebase-and-retry rounds after a rejected push (default 3). */
  retries?: number;
  timeoutMs?: number;
  /** Sign write-back commits (and their rebases) with this key. */
  signing?: CommitSigning;
}

/**
 * Seams for tests, kept out of `WriteBackOptions` and of the package's index: only tests reach
 * `createWriteBackWithHooks` (by this file's path).
 */
export interface WriteBackTestHooks {
  /** Runs before every push attempt (e.g. to push a competing commit). */
  beforePush?: (attempt: number) => Promise<void>;
}

export interface WriteBackRequest {
  repo: RepoRef;
  /** The branch the source follows. */
  branch: string;
  /** Push to `pushBranch` instead of `branch` (the source is marked `protected: true`). */
  protected: boolean;
  /** For protected sources: `wheelhouse/<command>-<id>`. */
  pushBranch: string;
  author: { name: string; email: string };
  message: CommitMessage;
  /** Changes the working copy; returns false when there is nothing to change. */
  edit(worktree: Worktree): Promise<boolean>;
}

export type WriteBackResult =
  | { changed: false; base: string }
  | {
      changed: true;
      commit: string;
      base: string;
      /** Where it was pushed: the source branch, or a new branch for a protected source. */
      branch: string;
      protected: boolean;
      /** Pushes tried (1 when nobody pushed in between). */
      attempts: number;
    };

export interface WriteBack {
  commit(request: WriteBackRequest): Promise<WriteBackResult>;
}

const DEFAULT_COMMITTER = { name: 'Wheelhouse', email: 'wheelhouse@users.wheelhouse.invalid' };

/** Branch names we push: what git accepts, and nothing that could read as an option. */
export function checkBranchName(name: string): string {
  if (
    !/^[A-Za-z0-9._/-]+$/.test(name) ||
    name.startsWith('-') ||
    name.includes('..') ||
    name.endsWith('/') ||
    name.endsWith('.lock')
  ) {
    throw new WheelhouseError(
      'WRITEBACK_FAILED',
      `${JSON.stringify(name)} is not a branch name write-back can push to`,
    );
  }
  return name;
}

/**
 * Desired-state edits as commits: a clean working copy from the mirror, the edit, a commit
 * authored by the person (committer Wheelhouse) with trailers, a push; when the push is rejected
 * because the branch moved, fetch, rebase and push again, up to `retries` times, then report the
 * conflict. A protected source gets a new branch instead.
 */
export function createWriteBack(options: WriteBackOptions): WriteBack {
  return createWriteBackWithHooks(options, {});
}

/** `createWriteBack` with test seams (see `WriteBackTestHooks`). */
export function createWriteBackWithHooks(options: WriteBackOptions, hooks: WriteBackTestHooks): WriteBack {
  const committer = options.committer ?? DEFAULT_COMMITTER;
  const retries = options.retries ?? 3;
  const root = join(options.dataDir, 'writeback');

  const queue = createBranchQueue();

  return {
    commit: (request) => queue(`${request.repo.url}\n${request.branch}`, () => commitOne(request)),
  };

  async function commitOne(request: WriteBackRequest): Promise<WriteBackResult> {
    const branch = checkBranchName(request.branch);
    const target = request.protected ? checkBranchName(request.pushBranch) : branch;
    await options.git.fetch(request.repo);
    const mirrorDir = await options.git.mirrorDir(request.repo);
    const auth = await options.git.auth(request.repo);
    const base = await branchHead(mirrorDir, branch, request.repo.url);
    const worktree = await createWorktree({
      mirrorDir,
      root,
      revision: base,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    const identityEnv = {
      GIT_AUTHOR_NAME: request.author.name,
      GIT_AUTHOR_EMAIL: request.author.email,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      ...signingEnv(options.signing),
    };
    const remote = { ...auth.env, ...identityEnv };
    /** The edit and its commit on what is checked out; false when it changes nothing. */
    const editAndCommit = async (): Promise<boolean> => {
      if (!(await request.edit(worktree))) return false;
      await worktree.git(['add', '--all']);
      const staged = await worktree.git(['diff', '--cached', '--quiet'], { okExitCodes: [1] });
      if (staged.exitCode === 0) return false;
      await worktree.git(
        [
          ...signingConfig(options.signing),
          'commit',
          '--quiet',
          '--no-verify',
          '--cleanup=verbatim',
          '--file=-',
        ],
        { env: identityEnv, input: formatCommitMessage(request.message), what: 'write-back commit' },
      );
      return true;
    };
    try {
      if (!(await editAndCommit())) return { changed: false, base };
      return await pushWithRebase({
        worktree,
        request,
        branch,
        target,
        base,
        identityEnv,
        remote,
        secrets: auth.secrets,
        retries,
        log: options.log,
        editAndCommit,
        signing: signingConfig(options.signing),
        ...(hooks.beforePush ? { beforePush: hooks.beforePush } : {}),
      });
    } catch (err) {
      if (err instanceof WheelhouseError) throw err;
      throw new WheelhouseError('WRITEBACK_FAILED', `write-back to ${branch} failed: ${errorMessage(err)}`, {
        cause: err,
      });
    } finally {
      await worktree
        .remove()
        .catch((err) =>
          options.log.warn({ err: errorMessage(err) }, 'could not remove a write-back worktree'),
        );
    }
  }
}

async function branchHead(mirrorDir: string, branch: string, repo: string): Promise<string> {
  const result = await runGit(
    ['--git-dir', mirrorDir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
    {
      okExitCodes: [1],
    },
  );
  const sha = result.stdout.trim();
  if (result.exitCode !== 0 || sha === '') {
    throw new WheelhouseError(
      'WRITEBACK_FAILED',
      `the source ref ${branch} of ${repo} is not a branch; write-back commits to a branch, so point the app's source.ref at one`,
      { details: { ref: branch } },
    );
  }
  return sha;
}
