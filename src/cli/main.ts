// The `wheelhouse` command. `up` runs everything in one process; the other commands talk to a
// running server's API (or, like `validate`, work on files directly).
import { Command } from 'commander';
import { commands } from './commands.js';
import { reportFailure } from './failure.js';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('wheelhouse')
    .description('GitOps engine with a ChatOps control room: Git declares, Wheelhouse converges.')
    .version(version(), '-v, --version')
    .showHelpAfterError('(run `wheelhouse --help` for the list of commands)')
    .showSuggestionAfterError(true)
    .exitOverride();
  let exitCode = 0;
  for (const register of commands)
    register(program, (code) => {
      exitCode = code;
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    return reportFailure(err);
  }
  return exitCode;
}

function version(): string {
  return process.env.npm_package_version ?? '0.1.0';
}
