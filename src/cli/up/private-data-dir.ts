import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, type Logger } from '../../core/index.js';

/**
 * Directories workloads must be able to pass through (mode 0711: enter, not list): their code is
 * materialized under `git/trees/<tree id>` and Files are written under `files/<target>`.
 * Everything else in the data dir (admin token, database, git mirrors, driver state and logs,
 * chat state) is private to Wheelhouse's user.
 */
const PASS_THROUGH = ['', 'git', join('git', 'trees'), 'files'];

/**
 * Run by `up` after it set the umask to 077 (so whatever it creates later is private): creates the
 * pass-through directories and tightens entries an earlier version left readable (directories
 * 0700, files 0600) at the top of the data dir and of `git/`.
 */
export async function privateDataDir(dataDir: string, log: Logger): Promise<void> {
  const open = new Set(PASS_THROUGH.map((dir) => join(dataDir, dir)));
  for (const path of open) {
    await mkdir(path, { recursive: true });
    await chmod(path, 0o711);
  }
  for (const dir of [dataDir, join(dataDir, 'git')]) {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      if (!open.has(path)) await makePrivate(path, log);
    }
  }
}

async function makePrivate(path: string, log: Logger): Promise<void> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return;
    const wanted = info.isDirectory() ? 0o700 : 0o600;
    const mode = info.mode & 0o7777;
    if ((mode & ~wanted) !== 0) await chmod(path, mode & wanted);
  } catch (err) {
    log.warn({ path, err: errorMessage(err) }, 'could not make a data dir entry private');
  }
}
