import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { claimPidLock } from './pid-lock.js';

export const DEFAULT_DATA_DIR = '.wheelhouse';

export function dataDirFrom(option: string | undefined): string {
  return resolve(option ?? process.env.WHEELHOUSE_DATA ?? DEFAULT_DATA_DIR);
}

/**
 * One engine per data dir: an atomic pid lock (pid-lock.ts) refuses a second `up` on the same
 * directory (two engines would fight over the same workloads).
 */
export async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  return claimPidLock(join(dataDir, PID_FILE_NAME), dataDir);
}

export const PID_FILE_NAME = 'wheelhouse.pid';
