/**
 * Why a program could not be started, for people: which program, and where to fix it. Never the
 * workload's environment: PATH alone can be long and tells a reader of chat or the API how the
 * engine's host is laid out.
 */
export function spawnFailure(
  program: string,
  cause: unknown,
  field: string,
  user?: { name: string; uid: number },
): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' && user)
    // execvp reports EACCES for a program it could not find when a PATH entry was closed to the user.
    return (
      `the program "${program}" was not found or is not executable for user ${user.name} (uid ${user.uid}) — ` +
      `install it on the target host, write its absolute path in ${field}, or set PATH in spec.env; ` +
      'if it exists, every directory on the way to it and to the working directory needs the search (x) permission for that user'
    );
  if (code === 'EPERM' && user)
    return `Wheelhouse may not switch to user ${user.name} (uid ${user.uid}); it needs to run as root for that`;
  if (code === 'ENOENT') {
    const fix = program.includes('/')
      ? `check that ${field} names an existing file (relative paths start at spec.cwd)`
      : `install it on the target host, write its absolute path in ${field}, or set PATH in spec.env`;
    return `the program "${program}" was not found — ${fix}; a script's #! interpreter must exist too`;
  }
  if (code === 'EACCES')
    return `the program "${program}" is not executable — chmod +x it in Git, or run it through its interpreter`;
  return `the program "${program}" could not be started (${code ?? (cause instanceof Error ? cause.message : String(cause))})`;
}
