import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built `wheelhouse` command, run as `node BIN ...args`. */
export const BIN = join(ROOT, 'bin', 'wheelhouse.js');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

function stale(): boolean {
  const stamp = join(ROOT, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return true;
  return newest(join(ROOT, 'src')) > statSync(stamp).mtimeMs;
}

/**
 * Builds dist/ when it is missing or older than src/ (like `npm start`), so CLI tests run the real
 * command. `npm test` builds first, so in CI this is a no-op. A lock directory keeps two test
 * files from building at once.
 */
export async function ensureBuilt(): Promise<void> {
  if (!stale()) return;
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.build-lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // A test run killed while building leaves the lock behind: its pid is gone, take it over.
      const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => 'NaN'));
      if (Number.isInteger(holder) && !isAlive(holder)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`gave up waiting for ${lock}; remove it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (stale()) await run('npm', ['run', '-s', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
