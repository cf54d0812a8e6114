import { execFile } from 'node:child_process';
import { access, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where `examples/demo` lives in the installed package. */
export const demoSource = fileURLToPath(new URL('../../../../examples/demo', import.meta.url));

/**
 * The built-in demo's control repo: a copy of `examples/demo` committed into a fresh git repo in
 * the data dir (kept across runs, so the person's own commits there survive a restart).
 */
export async function ensureDemoRepo(dataDir: string): Promise<{ path: string; created: boolean }> {
  const path = join(dataDir, 'demo-repo');
  if (await exists(join(path, '.git'))) return { path, created: false };
  await cp(demoSource, path, { recursive: true });
  const git = (...args: string[]) =>
    run('git', args, {
      cwd: path,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Wheelhouse demo',
        GIT_AUTHOR_EMAIL: 'demo@wheelhouse.invalid',
        GIT_COMMITTER_NAME: 'Wheelhouse demo',
        GIT_COMMITTER_EMAIL: 'demo@wheelhouse.invalid',
      },
    });
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'Demo: a web service and a managed file');
  return { path, created: true };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
