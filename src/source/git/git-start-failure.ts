import { existsSync } from 'node:fs';

/**
 * Why git did not start, and what to do. Node reports a missing program and a missing working
 * directory alike (ENOENT); the two are told apart here. The engine's PATH is never printed: it
 * says nothing a person needs and shows the host's layout to whoever reads the error.
 */
export function gitStartFailure(cause: unknown, cwd?: string): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    if (cwd !== undefined && !existsSync(cwd)) return `its working directory ${cwd} does not exist`;
    return 'the git program was not found — install git (2.30 or newer, e.g. `apt-get install git`) or add its directory to the PATH Wheelhouse is started with';
  }
  if (code === 'EACCES') return 'the git program found on PATH is not executable — check its installation';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
