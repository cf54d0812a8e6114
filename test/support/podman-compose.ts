import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { onPath } from '../../bench/lib/podman.js';
import { missingComponent } from './components.js';
import type { PodmanHost } from './podman.js';

const run = promisify(execFile);

/** Why podman-compose comparisons cannot run here, or undefined when they can. */
export const podmanComposeSkipReason: string | undefined = missingComponent(
  'podman-compose',
  'apt-get install -y podman-compose',
  onPath('podman-compose'),
);

/**
 * Run `podman-compose -p PROJECT -f FILE... ARGS...` on the test's private Podman, to compare what
 * Wheelhouse does with what podman-compose does on the same files. Returns its output; podman
 * commands that fail along the way show there as "exit code: N".
 */
export async function podmanCompose(
  podman: PodmanHost,
  file: string | readonly string[],
  project: string,
  args: readonly string[],
  cwd?: string,
): Promise<string> {
  const files = (typeof file === 'string' ? [file] : file).flatMap((f) => ['-f', f]);
  const result = await run(
    'podman-compose',
    ['--no-ansi', '-p', project, ...files, '--podman-args', podman.cli.args.join(' '), ...args],
    { env: { ...process.env, ...podman.cli.env }, maxBuffer: 16 * 1024 * 1024, ...(cwd ? { cwd } : {}) },
  );
  return `${result.stdout}${result.stderr}`;
}
