import { execFile } from 'node:child_process';
import { access, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applyDemoPort, DEFAULT_DEMO_PORT, demoPortOf } from './demo-port.js';

const run = promisify(execFile);

/** Where `examples/demo` lives in the installed package. */
export const demoSource = fileURLToPath(new URL('../../../../examples/demo', import.meta.url));

/**
 * The built-in demo's control repo: a copy of `examples/demo` committed into a fresh git repo in
 * the data dir (kept across runs, so the person's own commits there survive a restart), its web
 * service on `port` (replica i on port + i).
 */
export async function ensureDemoRepo(
  dataDir: string,
  port?: number,
): Promise<{ path: string; created: boolean; port: number }> {
  const path = join(dataDir, 'demo-repo');
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
  if (await exists(join(path, '.git'))) {
    // A --demo-port other than the demo repo's: committed, like any change of desired state.
    if (port !== undefined && (await applyDemoPort(path, port)))
      await git('commit', '--quiet', '-am', `Demo: web on port ${port}`);
    return { path, created: false, port: await demoPortOf(path) };
  }
  await cp(demoSource, path, { recursive: true });
  await applyDemoPort(path, port ?? DEFAULT_DEMO_PORT);
  await git('init', '--quiet', '--initial-branch=main');
  // Chat commands commit as the person who asked and push here: let the checked-out branch move
  // (and its files with it) so the demo repo stays a normal working copy to edit.
  await git('config', 'receive.denyCurrentBranch', 'updateInstead');
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'Demo: a web service and a managed file');
  return { path, created: true, port: port ?? DEFAULT_DEMO_PORT };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
