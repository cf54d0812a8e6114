import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WheelhouseError } from '../../core/index.js';

export const DEFAULT_DATA_DIR = '.wheelhouse';

export function dataDirFrom(option: string | undefined): string {
  return resolve(option ?? process.env.WHEELHOUSE_DATA ?? DEFAULT_DATA_DIR);
}

/**
 * One engine per data dir: a pid file refuses a second `up` on the same directory (two engines
 * would fight over the same workloads), and is taken over when its process is gone.
 */
export async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pidFile = join(dataDir, 'wheelhouse.pid');
  const existing = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(existing, 10);
  if (pid > 0 && pid !== process.pid && alive(pid)) {
    throw new WheelhouseError(
      'CONFLICT',
      `another Wheelhouse (pid ${pid}) is running on data dir ${dataDir}; stop it first, or pass a different --data`,
    );
  }
  await writeFile(pidFile, `${process.pid}\n`);
  return async () => {
    const current = await readFile(pidFile, 'utf8').catch(() => '');
    if (Number.parseInt(current, 10) === process.pid) await rm(pidFile, { force: true });
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
