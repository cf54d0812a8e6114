import type { RepoRef } from '../core/index.js';
import { runGit } from '../source/git/index.js';
import type { WriteBackGit } from '../writeback/index.js';

/**
 * The commit whose `Wheelhouse-Request` trailer names a request, searched in the control repo and
 * every app's source (each fetched first), or undefined when none of them has one.
 */
export async function findRequestCommit(
  git: WriteBackGit,
  repos: RepoRef[],
  requestId: string,
): Promise<string | undefined> {
  const seen = new Set<string>();
  for (const repo of repos) {
    if (seen.has(repo.url)) continue;
    seen.add(repo.url);
    await git.fetch(repo).catch(() => undefined);
    const mirror = await git.mirrorDir(repo).catch(() => undefined);
    if (!mirror) continue;
    const found = await runGit(
      [
        '--git-dir',
        mirror,
        'log',
        '--all',
        '--format=%H',
        '--fixed-strings',
        `--grep=Wheelhouse-Request: ${requestId}`,
      ],
      { okExitCodes: [0, 128], what: 'look for a request in Git' },
    );
    const sha = found.stdout.trim().split('\n')[0];
    if (found.exitCode === 0 && sha) return sha;
  }
  return undefined;
}
