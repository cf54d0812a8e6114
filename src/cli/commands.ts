import type { Command } from 'commander';
import { registerChat } from './chat.js';
import { registerChatRegister } from './chat-register.js';
import {
  registerApps,
  registerAudit,
  registerDiff,
  registerHistory,
  registerLogs,
  registerRefresh,
  registerStatus,
  registerSync,
} from './client/index.js';
import { registerUp } from './up/command.js';
import { registerDown } from './up/down.js';
import { registerUser } from './user.js';
import { registerValidate } from './validate.js';

/** Registers one subcommand; `setExitCode` reports a non-zero outcome without throwing. */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

/** One line per command. */
export const commands: RegisterCommand[] = [
  registerUp,
  registerDown,
  registerValidate,
  registerApps,
  registerStatus,
  registerDiff,
  registerSync,
  registerRefresh,
  registerHistory,
  registerLogs,
  registerAudit,
  registerUser,
  registerChat,
  registerChatRegister,
];
