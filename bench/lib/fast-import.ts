import { spawn } from 'node:child_process';
import { runGit } from '../../src/source/git/index.js';

export interface ImportCommit {
  message: string;
  /** Files written (or, with null, deleted) by this commit. */
  files: Record<string, string | null>;
}

/**
 * Writes a whole history into a new bare repo through one `git fast-import` process: thousands of
 * commits or files in seconds, so scenarios spend their time measuring Wheelhouse, not setup.
 */
export async function importHistory(
  bareDir: string,
  commits: readonly ImportCommit[],
  branch = 'main',
): Promise<void> {
  await runGit(['init', '--bare', '--quiet', `--initial-branch=${branch}`, bareDir]);
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (const [index, commit] of commits.entries()) {
    const mark = index + 1;
    const ident = `Bench <bench@example.test> ${1_700_000_000 + mark * 60} +0000\n`;
    parts.push(
      `commit refs/heads/${branch}\nmark :${mark}\nauthor ${ident}committer ${ident}`,
      data(commit.message),
    );
    if (mark > 1) parts.push(`from :${mark - 1}\n`);
    for (const [path, content] of Object.entries(commit.files)) {
      parts.push(content === null ? `D ${path}\n` : `M 100644 inline ${path}\n${data(content)}`);
    }
    parts.push('\n');
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], {
      cwd: bareDir,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)),
    );
    child.stdin.end(parts.join(''));
  });
}
