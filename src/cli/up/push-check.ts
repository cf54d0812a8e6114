import { runGit } from '../../source/git/index.js';

/** Settings of `receive.denyCurrentBranch` under which git accepts a push to the checked-out branch. */
const ACCEPTING = new Set(['updateinstead', 'ignore', 'warn', 'false', 'no', 'off', '0']);

/**
 * Why write-back (edits from chat and the dashboard, committed and pushed) cannot push to the
 * control repo, found at start instead of at the first chat command: a local working copy
 * (`git init`) with the followed branch checked out refuses pushes to it. Undefined when pushes
 * will be accepted, or when this cannot be told (a URL, not a git repository).
 */
export async function pushRefusal(repo: string, ref: string): Promise<string | undefined> {
  const git = async (...args: string[]) =>
    (await runGit(['-C', repo, ...args], { what: `checking ${repo}`, okExitCodes: [0, 1] })).stdout.trim();
  try {
    if ((await git('rev-parse', '--is-bare-repository')) !== 'false') return undefined;
    const branch = await git('symbolic-ref', '--short', '-q', 'HEAD');
    if (branch === '' || branch !== ref.replace(/^refs\/heads\//, '')) return undefined;
    const setting = (await git('config', '--get', 'receive.denyCurrentBranch')).toLowerCase();
    if (ACCEPTING.has(setting)) return undefined;
    return (
      `write-back will fail: ${repo} is a working copy with ${branch} checked out, and git refuses pushes to it ` +
      `(chat and dashboard edits are commits pushed there). Fix it with: git -C ${repo} config receive.denyCurrentBranch updateInstead ` +
      `(pushes then update the checked-out files), or follow a bare repository: git clone --bare ${repo} ${repo}.git, then wheelhouse up --repo ${repo}.git`
    );
  } catch {
    return undefined;
  }
}
