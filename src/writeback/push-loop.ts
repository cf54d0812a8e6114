import type { Logger } from '../core/index.js';
import { errorMessage, WheelhouseError } from '../core/index.js';
import type { GitAuth } from '../source/git/index.js';
import { shortSha } from '../util/index.js';
import { baseRanges, changesOverlap } from './overlap.js';
import type { Worktree } from './worktree.js';
import type { WriteBackRequest, WriteBackResult } from './write-back.js';

/** What the push loop works with: a worktree holding the person's commit on `base`. */
export interface PushContext {
  worktree: Worktree;
  request: WriteBackRequest;
  /** The branch the source follows, and where the commit goes (a new branch when protected). */
  branch: string;
  target: string;
  base: string;
  identityEnv: Record<string, string>;
  /** Credentials and identity for talking to the remote. */
  remote: Record<string, string>;
  secrets: GitAuth['secrets'];
  retries: number;
  log: Logger;
  /** Makes the person's edit and commits it on what is checked out; false when it changes nothing. */
  editAndCommit: () => Promise<boolean>;
  /** `git -c` settings that sign (or explicitly do not sign) the rebased commit. */
  signing: string[];
  beforePush?: (attempt: number) => Promise<void>;
}

/**
 * Push the commit; when the branch moved meanwhile, fetch, rebase (or, where git refuses
 * neighbouring lines, make the edit again on the new head) and push again, up to `retries`
 * times. A refused push that is not about the branch moving fails at once, with a hint.
 */
export async function pushWithRebase(ctx: PushContext): Promise<WriteBackResult> {
  const {
    worktree,
    request,
    branch,
    target,
    base,
    identityEnv,
    remote,
    secrets,
    retries,
    log,
    editAndCommit,
  } = ctx;
  for (let attempt = 1; ; attempt++) {
    await ctx.beforePush?.(attempt);
    const pushed = await worktree.git(
      ['push', '--porcelain', '--', request.repo.url, `HEAD:refs/heads/${target}`],
      { env: remote, secrets, okExitCodes: [1], what: `push to ${target}` },
    );
    const commit = (await worktree.git(['rev-parse', 'HEAD'])).stdout.trim();
    if (pushed.exitCode === 0) {
      log.info({ repo: request.repo.url, branch: target, commit, attempt }, 'write-back pushed');
      return {
        changed: true,
        commit,
        base,
        branch: target,
        protected: request.protected,
        attempts: attempt,
      };
    }
    const output = `${pushed.stdout}\n${pushed.stderr}`;
    const moved = /non-fast-forward|\[rejected\]|fetch first|stale info|failed to update ref/i.test(output);
    if (!moved || request.protected) {
      const hint = /denyCurrentBranch/.test(output)
        ? `the source is a working copy with ${target} checked out, and git refuses pushes to it; use a bare repository, or run \`git config receive.denyCurrentBranch updateInstead\` in it`
        : 'check that Wheelhouse may push to the source (credentials, branch protection)';
      throw new WheelhouseError(
        'WRITEBACK_FAILED',
        `push of ${shortSha(commit)} to ${target} was refused: ${lastLines(pushed.stderr || pushed.stdout)}; ${hint}`,
        { details: { branch: target } },
      );
    }
    if (attempt > retries) {
      throw new WheelhouseError(
        'WRITEBACK_CONFLICT',
        `${branch} kept moving: the push was rejected ${attempt === 1 ? 'once' : `${attempt} times`} even after rebasing; try again when the branch is quiet`,
        { details: { branch } },
      );
    }
    await worktree.git(
      ['fetch', '--quiet', '--', request.repo.url, `+refs/heads/${branch}:refs/remotes/origin/${branch}`],
      {
        env: remote,
        secrets,
        what: `fetch of ${branch} to rebase on`,
      },
    );
    const rebased = await worktree.git(
      [...ctx.signing, 'rebase', '--quiet', `refs/remotes/origin/${branch}`],
      {
        env: identityEnv,
        okExitCodes: [1, 128],
        what: `rebase onto ${branch}`,
      },
    );
    if (rebased.exitCode !== 0) {
      await worktree.git(['rebase', '--abort'], { okExitCodes: [1, 128] }).catch(() => undefined);
      // Git refuses neighbouring lines too (two new keys in one env map). Where the lines do
      // not overlap, the edit (which says what the person wants, not which lines) is made
      // again on the new head; where they overlap, it is a conflict a person would see too.
      const diffFromBase = async (to: string) =>
        baseRanges((await worktree.git(['diff', '-U0', '--no-renames', '--no-color', 'HEAD^', to])).stdout);
      if (changesOverlap(await diffFromBase('HEAD'), await diffFromBase(`refs/remotes/origin/${branch}`))) {
        throw new WheelhouseError(
          'WRITEBACK_CONFLICT',
          `someone changed the same lines on ${branch} meanwhile, and the change no longer applies on top (${lastLines(rebased.stdout || rebased.stderr)}); look at the new commits and ask again`,
          { details: { branch } },
        );
      }
      await worktree.git(['reset', '--quiet', '--hard', `refs/remotes/origin/${branch}`], {
        what: `reset onto ${branch} to make the edit again`,
      });
      const replayed = await editAndCommit().catch((err: unknown) => {
        throw new WheelhouseError(
          'WRITEBACK_CONFLICT',
          `someone changed ${branch} meanwhile, and the change no longer applies on top (${errorMessage(err)}; git: ${lastLines(rebased.stdout || rebased.stderr)}); look at the new commits and ask again`,
          { details: { branch }, cause: err },
        );
      });
      if (!replayed) {
        const head = (await worktree.git(['rev-parse', 'HEAD'])).stdout.trim();
        return { changed: false, base: head };
      }
    }
    log.info({ branch, attempt }, 'write-back rebased after a concurrent push; pushing again');
  }
}

function lastLines(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-3)
      .join(' | ') || 'no output'
  );
}
