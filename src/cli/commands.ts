import type { Command } from 'commander';
import { registerUp } from './up/command.js';
import { registerDown } from './up/down.js';
import { registerValidate } from './validate.js';

/** Registers one subcommand; `setExitCode` reports a non-zero outcome without throwing. */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

/** One line per command. */
export const commands: RegisterCommand[] = [registerUp, registerDown, registerValidate];
