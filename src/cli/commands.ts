import type { Command } from 'commander';
import { registerValidate } from './validate.js';

/** Registers one subcommand; `setExitCode` reports a non-zero outcome without throwing. */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

/** One line per command. */
export const commands: RegisterCommand[] = [registerValidate];
