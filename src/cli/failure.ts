import { CommanderError } from 'commander';
import { isWheelhouseError } from '../core/index.js';
import { escapeControl } from '../util/index.js';

/** Print a failure the way a person can act on it; returns the exit code. */
export function reportFailure(err: unknown): number {
  if (err instanceof CommanderError) {
    // Commander already printed usage or help; `--help` and `--version` exit 0.
    return err.exitCode;
  }
  if (isWheelhouseError(err)) {
    process.stderr.write(`error: ${escapeControl(err.message)}\n`);
    return err.code === 'INTERNAL' ? 70 : 1;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`unexpected error: ${escapeControl(message)}\n`);
  return 70;
}
