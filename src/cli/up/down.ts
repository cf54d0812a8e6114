import { errorMessage } from '../../core/index.js';
import type { RegisterCommand } from '../commands.js';
import { createLogger } from '../logger.js';
import { dataDirFrom } from './data-dir.js';
import { createTargetDriver, knownTargets } from './targets.js';

export const registerDown: RegisterCommand = (program, setExitCode) => {
  program
    .command('down')
    .description(
      'stop every workload Wheelhouse runs from this data dir (run `wheelhouse up` to start them again)',
    )
    .option('--data <dir>', 'data directory', process.env.WHEELHOUSE_DATA ?? '.wheelhouse')
    .action(async (opts: { data: string }) => {
      const dataDir = dataDirFrom(opts.data);
      const log = createLogger({ format: process.stderr.isTTY ? 'pretty' : 'json' });
      const targets = await knownTargets(dataDir);
      if (targets.length === 0) {
        process.stdout.write(`Nothing to stop: no targets recorded in ${dataDir}.\n`);
        return;
      }
      for (const target of targets) {
        try {
          const driver = createTargetDriver(dataDir, target, log);
          await driver.teardown?.();
          process.stdout.write(`Stopped the workloads of target ${target.name} (${target.driver}).\n`);
        } catch (err) {
          process.stderr.write(`error: could not stop target ${target.name}: ${errorMessage(err)}\n`);
          setExitCode(1);
        }
      }
    });
};
