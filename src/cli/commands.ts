import type { Command } from 'commander';

/** Registers one subcommand; `setExitCode` reports a non-zero outcome without throwing. */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

/**
 * Every command, by the name typed after `wheelhouse`, loaded on demand: a call loads only the
 * module of its own command (and what that imports), so `wheelhouse apps` never pays for the
 * engine, the server or the drivers that `up` needs. `--help`, no command, or an unknown one
 * loads them all (the list and the did-you-mean need every name).
 */
export interface CommandEntry {
  name: string;
  load(): Promise<RegisterCommand>;
}

/** One line per command, in the order `--help` lists them. */
export const commands: readonly CommandEntry[] = [
  { name: 'up', load: async () => (await import('./up/command.js')).registerUp },
  { name: 'down', load: async () => (await import('./up/down.js')).registerDown },
  { name: 'validate', load: async () => (await import('./validate.js')).registerValidate },
  { name: 'apps', load: async () => (await import('./client/apps.js')).registerApps },
  { name: 'status', load: async () => (await import('./client/status.js')).registerStatus },
  { name: 'diff', load: async () => (await import('./client/diff.js')).registerDiff },
  { name: 'sync', load: async () => (await import('./client/sync.js')).registerSync },
  { name: 'refresh', load: async () => (await import('./client/refresh.js')).registerRefresh },
  { name: 'history', load: async () => (await import('./client/history.js')).registerHistory },
  { name: 'logs', load: async () => (await import('./client/logs.js')).registerLogs },
  { name: 'audit', load: async () => (await import('./client/audit.js')).registerAudit },
  { name: 'version', load: async () => (await import('./version.js')).registerVersion },
  { name: 'user', load: async () => (await import('./user.js')).registerUser },
  { name: 'chat', load: async () => (await import('./chat.js')).registerChat },
  { name: 'metrics', load: async () => (await import('./client/metrics.js')).registerMetrics },
  // `chat register <platform>` hangs under `chat`; it needs the chat adapters, so only then.
  { name: 'chat', load: async () => (await import('./chat-register.js')).registerChatRegister },
  { name: 'login', load: async () => (await import('./login.js')).registerLogin },
  { name: 'logout', load: async () => (await import('./login.js')).registerLogout },
  { name: 'whoami', load: async () => (await import('./client/whoami.js')).registerWhoami },
  { name: 'images', load: async () => (await import('./client/images.js')).registerImages },
  { name: 'build', load: async () => (await import('./client/build.js')).registerBuild },
  { name: 'builds', load: async () => (await import('./client/build.js')).registerBuilds },
  { name: 'cancel', load: async () => (await import('./client/build.js')).registerCancel },
  { name: 'secret', load: async () => (await import('./secret.js')).registerSecret },
];

/** The commands a call needs: the one named in `argv` (before any option), else all of them. */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const named = commands.filter((entry) => entry.name === name);
  if (named.length === 0) return commands;
  // `chat register` needs its module; a plain `chat "status"` does not.
  if (name === 'chat' && argv[argv.indexOf('chat') + 1] !== 'register') return named.slice(0, 1);
  return named;
}
