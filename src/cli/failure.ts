import { CommanderError } from 'commander';
import { isWheelhouseError } from '../core/index.js';
import { escapeControl } from '../util/index.js';
import { EXIT, ExitCodeError, isApprovalWait } from './exit-codes.js';

/** Print a failure the way a person can act on it; returns the exit code (see exit-codes.ts). */
export function reportFailure(err: unknown): number {
  if (err instanceof ExitCodeError) {
    reportFailure(err.cause);
    return err.exitCode;
  }
  if (err instanceof CommanderError) {
    // Commander already printed usage or help; `--help` and `--version` exit 0.
    return err.exitCode;
  }
  if (isApprovalWait(err)) {
    process.stderr.write(`waiting for approval: ${(err as Error).message}\n`);
    return EXIT.awaitingApproval;
  }
  if (isWheelhouseError(err)) {
    process.stderr.write(`error: ${escapeControl(err.message)}\n`);
    return err.code === 'INTERNAL' ? EXIT.internal : EXIT.failed;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`unexpected error: ${escapeControl(message)}\n`);
  return EXIT.internal;
}
