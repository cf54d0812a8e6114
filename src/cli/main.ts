// The `wheelhouse` command. `up` runs everything in one process; the other commands talk to a
// running server's API (or, like `validate`, work on files directly). Start-up loads only the
// command being run (see commands.ts): `--version` loads nothing else at all.
import { Command } from 'commander';
import { cliVersion } from './cli-version.js';
import { commandsFor } from './commands.js';
import { reportFailure } from './failure.js';

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  const program = new Command('wheelhouse')
    .description('GitOps engine with a ChatOps control room: Git declares, Wheelhouse converges.')
    .version(cliVersion(), '-v, --version')
    .showHelpAfterError('(run `wheelhouse --help` for the list of commands)')
    .showSuggestionAfterError(true)
    .exitOverride();
  let exitCode = 0;
  try {
    const registers = await Promise.all(commandsFor(argv).map((entry) => entry.load()));
    for (const register of registers)
      register(program, (code) => {
        exitCode = code;
      });
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    return reportFailure(err);
  }
  return exitCode;
}
