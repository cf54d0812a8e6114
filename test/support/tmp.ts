import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary directories for a test file, removed when the file's tests end (also on failure).
 * Call at module or describe level: `const tmp = tempDirs();` then `await tmp('repo')`.
 */
export function tempDirs(): (label?: string) => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
  });
  return async (label = 'tmp') => {
    const dir = await mkdtemp(join(tmpdir(), `wh-${label}-`));
    // Enterable (not listable) by others, as a data dir is: tests run as root, where the process
    // driver runs workloads as an unprivileged user that must reach its code below here.
    await chmod(dir, 0o711);
    made.push(dir);
    return dir;
  };
}
