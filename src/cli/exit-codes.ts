// The exit codes of every `wheelhouse` command, in one place so scripts can rely on them.
import { WheelhouseError } from '../core/index.js';

/**
 * `0` success; `1` failure (or, for `diff`, differences found — like `git diff --exit-code`);
 * `2` an error in `diff`, so a script can tell "differs" from "could not tell"; `3` the request
 * waits for someone's approval (`sync`, `refresh`, `chat`); `70` an internal error (a bug).
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  differences: 1,
  diffError: 2,
  awaitingApproval: 3,
  internal: 70,
} as const;

/** Wraps a command's failure so it exits with `exitCode` instead of the usual one. */
export class ExitCodeError extends Error {
  readonly exitCode: number;

  constructor(cause: unknown, exitCode: number) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'ExitCodeError';
    this.exitCode = exitCode;
  }
}

/** Runs `action`; whatever it throws exits with `exitCode` (the message stays the cause's). */
export async function exitingWith<T>(exitCode: number, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw new ExitCodeError(err, exitCode);
  }
}

export function isApprovalWait(err: unknown): boolean {
  return err instanceof WheelhouseError && err.code === 'APPROVAL_REQUIRED';
}
