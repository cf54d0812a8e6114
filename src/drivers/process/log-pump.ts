import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { errorMessage, WheelhouseError } from '../../core/index.js';
import { isSameProcess } from './proc-stat.js';

/** Where the pump program is: compiled JavaScript, or TypeScript run through tsx from a checkout. */
const pumpScript = fileURLToPath(new URL(`./log-pump-main${extname(import.meta.url)}`, import.meta.url));

function extname(url: string): string {
  return url.endsWith('.ts') ? '.ts' : '.js';
}

export interface LogPumpRequest {
  stdout: string;
  stderr: string;
  maxBytes: number;
  maxFiles: number;
}

export interface LogPump {
  pid: number;
  /** The write ends for the workload's stdout and stderr; close them once it is spawned. */
  stdout: Socket;
  stderr: Socket;
  child: ChildProcess;
  /** Closes Wheelhouse's copies of the pipes: from here on only the workload holds them. */
  release(): void;
}

/**
 * Starts the log pump of one replica (log-pump-main.ts), detached in its own session so it outlives
 * Wheelhouse. Its stdin and fd 3 are socket pairs; the other ends go to the workload as stdout and
 * stderr, so the workload never holds the log files and cannot write past the size limit.
 */
export async function startLogPump(request: LogPumpRequest): Promise<LogPump> {
  const args = pumpScript.endsWith('.ts') ? ['--import', 'tsx', pumpScript] : [pumpScript];
  const config = JSON.stringify({
    stdout: request.stdout,
    stderr: request.stderr,
    maxBytes: request.maxBytes,
    maxFiles: request.maxFiles,
  });
  const child = spawn(process.execPath, [...args, config], {
    cwd: dirname(pumpScript),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
  });
  child.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const stdout = child.stdin;
  const stderr = child.stdio[3];
  if (child.pid === undefined || !stdout || !isSocket(stderr)) {
    throw new Error('the log pump started without its pipes');
  }
  child.unref();
  const sockets = [stdout as Socket, stderr];
  for (const socket of sockets) socket.on('error', () => {});
  return {
    pid: child.pid,
    stdout: stdout as Socket,
    stderr,
    child,
    release: () => {
      for (const socket of sockets) {
        socket.destroy();
        socket.unref?.();
      }
    },
  };
}

function isSocket(value: unknown): value is Socket {
  return typeof value === 'object' && value !== null && 'destroy' in value && '_handle' in value;
}

/** How long reading a finished run's last lines waits for its log pump to write them. */
const PUMP_DRAIN_MS = 2000;

/**
 * Settles once a log pump has written everything its run printed (it ends when the pipes close),
 * or after a short deadline when something the run left behind still holds them. Real time, not
 * the driver's clock: this waits for another process to finish writing.
 */
export async function pumpDrained(
  pump: { pid: number; startTime: string | null } | undefined,
): Promise<void> {
  if (!pump) return;
  let waiting = true;
  const gone = (async () => {
    while (waiting && isSameProcess(pump.pid, pump.startTime)) await sleep(10);
  })();
  await Promise.race([gone, sleep(PUMP_DRAIN_MS, undefined, { ref: false })]);
  waiting = false;
}

/** `startLogPump` for one run, failing with what to check when the pump cannot start. */
export async function startLogPumpFor(
  logs: { stdout: string; stderr: string },
  limits: { logMaxBytes: number; logMaxFiles: number },
  what: string,
  where: { app: string; resource: string },
): Promise<LogPump> {
  return startLogPump({ ...logs, maxBytes: limits.logMaxBytes, maxFiles: limits.logMaxFiles }).catch(
    (cause: unknown) => {
      throw new WheelhouseError(
        'DRIVER_FAILED',
        `could not start the log pump of ${what} (${errorMessage(cause)}); nothing was started. ` +
          `Check that ${dirname(logs.stdout)} is writable and that this Wheelhouse install is complete, then sync again`,
        { cause, details: where },
      );
    },
  );
}
