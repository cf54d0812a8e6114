import { errorMessage } from '../../core/index.js';
import { escapeControl } from '../../util/index.js';
import type { RegisterCommand } from '../commands.js';
import { dataDirFrom } from './data-dir.js';

export const registerDown: RegisterCommand = (program, setExitCode) => {
  program
    .command('down')
    .description(
      'stop every workload Wheelhouse runs from this data dir (run `wheelhouse up` to start them again)',
    )
    .option('--data <dir>', 'data directory', process.env.WHEELHOUSE_DATA ?? '.wheelhouse')
    .action(async (opts: { data: string }) => {
      const dataDir = dataDirFrom(opts.data);
      const [{ createLogger }, { teardownTargets }] = await Promise.all([
        import('../logger.js'),
        import('./targets.js'),
      ]);
      const log = createLogger({ format: process.stderr.isTTY ? 'pretty' : 'json' });
      const results = await teardownTargets(dataDir, log);
      if (results.length === 0) {
        process.stdout.write(`Nothing to stop: no targets recorded in ${dataDir}.\n`);
        return;
      }
      for (const { target, error } of results) {
        if (error === undefined) {
          process.stdout.write(`Stopped the workloads of target ${target.name} (${target.driver}).\n`);
        } else {
          process.stderr.write(
            `error: could not stop target ${target.name}: ${escapeControl(errorMessage(error))}\n`,
          );
          setExitCode(1);
        }
      }
    });
};
