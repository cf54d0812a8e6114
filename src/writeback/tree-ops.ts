import { WheelhouseError } from '../core/index.js';
import { shortSha } from '../util/index.js';
import type { Worktree } from './worktree.js';

/** `apps/web/` → `apps/web`; the repo root is `.`. */
function pathspec(path: string): string {
  const clean = path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  return clean === '' || clean === '.' ? '.' : clean;
}

async function exists(worktree: Worktree, revision: string, path: string): Promise<boolean> {
  const spec = pathspec(path);
  const result = await worktree.git(
    ['cat-file', '-e', spec === '.' ? `${revision}^{tree}` : `${revision}:${spec}`],
    {
      okExitCodes: [1, 128],
    },
  );
  return result.exitCode === 0;
}

/**
 * Make `path` in the working copy exactly what it was at `revision` (files added since are
 * removed, changed ones restored): the tree of a rollback commit.
 */
export async function restorePath(worktree: Worktree, revision: string, path: string): Promise<void> {
  const spec = pathspec(path);
  await worktree.git(['rm', '-r', '-q', '--ignore-unmatch', '--', spec]);
  if (await exists(worktree, revision, spec)) {
    await worktree.git(['checkout', '--quiet', revision, '--', spec], {
      what: `restore ${spec} from ${shortSha(revision)}`,
    });
  }
}

/** Make `toPath` hold exactly the tree of `fromPath` at `revision` (promotion between environments). */
export async function copyTree(
  worktree: Worktree,
  revision: string,
  fromPath: string,
  toPath: string,
): Promise<void> {
  const from = pathspec(fromPath);
  const to = pathspec(toPath);
  if (from === '.' || to === '.') {
    throw new WheelhouseError(
      'WRITEBACK_FAILED',
      'promotion copies one app path to another; an app at the repo root cannot take part',
    );
  }
  if (!(await exists(worktree, revision, from))) {
    throw new WheelhouseError(
      'WRITEBACK_FAILED',
      `${from} does not exist at ${shortSha(revision)}; nothing to promote`,
    );
  }
  await worktree.git(['rm', '-r', '-q', '--ignore-unmatch', '--', to]);
  await worktree.git(['read-tree', `--prefix=${to}/`, `${revision}:${from}`]);
  await worktree.git(['checkout-index', '--all', '--force']);
}
