import { runGit } from './run-git.js';

/**
 * The branch a repository's HEAD names (a remote's default branch; for a local working repo, the
 * branch checked out), or undefined when it cannot be told (no commits yet, unreachable, not a repo).
 */
export async function defaultBranch(url: string): Promise<string | undefined> {
  try {
    const { stdout } = await runGit(['ls-remote', '--symref', '--', url, 'HEAD'], {
      what: `reading the default branch of ${url}`,
      timeoutMs: 30_000,
    });
    return /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}
