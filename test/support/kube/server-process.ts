import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A long-running server of the control plane, in its own process group, logging to a file. */
export interface ServerProcess {
  name: string;
  /** Its process id (undefined when it could not start): its peak RSS is in /proc/<pid>/status. */
  pid: number | undefined;
  /** The file its stdout and stderr go to. */
  log: string;
  /** "exited with code 1" once it has exited, undefined while it runs. */
  exitStatus(): string | undefined;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): Promise<string>;
  /** SIGTERM to its process group, SIGKILL if it has not exited after a grace period. */
  stop(): Promise<void>;
}

// Last resort when a test worker exits without calling stop(), or is interrupted: kill every
// group still running and remove the directories registered for cleanup (synchronously: that
// is all an 'exit' handler can do). Detached servers would otherwise outlive the worker.
const liveGroups = new Set<number>();
const cleanupDirs = new Set<string>();
let cleanupInstalled = false;

function cleanUpNow(): void {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  for (const dir of cleanupDirs) rmSync(dir, { recursive: true, force: true });
  cleanupDirs.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanUpNow();
      // Re-raise: with this listener gone, the signal does what it would have done without it.
      process.kill(process.pid, signal);
    });
  }
}

/** Removes `dir` when the process exits, unless `forgetDirOnExit` was called first. */
export function removeDirOnExit(dir: string): void {
  installCleanup();
  cleanupDirs.add(dir);
}

export function forgetDirOnExit(dir: string): void {
  cleanupDirs.delete(dir);
}

/** Spawns `binary args` detached (its own process group), appending its output to `<logDir>/<name>.log`. */
export function startServer(
  name: string,
  binary: string,
  args: string[],
  options: { logDir: string; env?: NodeJS.ProcessEnv },
): ServerProcess {
  installCleanup();
  const log = join(options.logDir, `${name}.log`);
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: options.env ?? process.env,
    });
  } finally {
    closeSync(fd);
  }
  const pgid = child.pid;
  let status: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      status = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (pgid !== undefined) liveGroups.delete(pgid);
      resolve();
    });
    child.once('error', (err) => {
      status = `could not start: ${err.message}`;
      if (pgid !== undefined) liveGroups.delete(pgid);
      resolve();
    });
  });
  if (pgid !== undefined) liveGroups.add(pgid);

  return {
    name,
    pid: pgid,
    log,
    exitStatus: () => status,
    tail: async (lines = 40) => {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    },
    stop: async () => {
      if (status !== undefined || pgid === undefined) return;
      killGroup(pgid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      // Anything the server left behind in its group goes too.
      killGroup(pgid, 'SIGKILL');
    },
  };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}
