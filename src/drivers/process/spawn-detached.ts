import { type ChildProcess, spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { WheelhouseError } from '../../core/index.js';
import { readProcStat } from './proc-stat.js';
import type { WorkloadUser } from './workload-user.js';

/**
 * Workloads start with the usual umask, whatever Wheelhouse runs with (`up` keeps its own files
 * private with 077); set while spawning only, which is synchronous up to the child's exec.
 */
const WORKLOAD_UMASK = 0o022;

import { spawnFailure } from './spawn-failure.js';

export interface SpawnRequest {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Log files, opened O_APPEND; the same path for both merges the streams. */
  stdout: string;
  stderr: string;
  /** A log pump's pipes (log-pump.ts): used instead of opening the files above. */
  pipes?: { stdout: Socket; stderr: Socket } | undefined;
  /** For error messages: `replica 0 of Process shop/web`. */
  what: string;
  details: { app: string; resource: string };
  /** Run as this user (uid, gid; supplementary groups dropped); absent: as Wheelhouse. */
  user?: WorkloadUser | undefined;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  child: ChildProcess;
  /** Settles when the process exits (listened to from the moment it was spawned). */
  exited: Promise<ExitStatus>;
  pid: number;
  /** `/proc/<pid>/stat` start time; null when the process was already gone. */
  startTime: string | null;
}

/**
 * Starts a program in its own session and process group, its output going to a log pump or
 * straight to log files (never through the engine), so the engine can stop or die without taking the workload with it.
 * Never uses a shell.
 */
export async function spawnDetached(request: SpawnRequest): Promise<Spawned> {
  const [program, ...args] = request.argv;
  if (program === undefined) throw new Error(`${request.what}: empty command`);
  const out = request.pipes ? undefined : await open(request.stdout, 'a');
  const err = request.pipes || request.stderr === request.stdout ? out : await open(request.stderr, 'a');
  // One file for both streams (a Job's job.log): one pipe too, so the lines keep the order they
  // were written in across stdout and stderr.
  const stdio = request.pipes
    ? ([
        'ignore',
        request.pipes.stdout,
        request.stderr === request.stdout ? request.pipes.stdout : request.pipes.stderr,
      ] as const)
    : (['ignore', out?.fd, err?.fd] as const);
  let child: ChildProcess;
  let exited: Promise<ExitStatus> | undefined;
  try {
    const previousUmask = process.umask(WORKLOAD_UMASK);
    try {
      child = spawn(program, args, {
        cwd: request.cwd,
        env: request.env,
        detached: true,
        stdio: [...stdio],
        ...(request.user ? { uid: request.user.uid, gid: request.user.gid } : {}),
      });
    } finally {
      process.umask(previousUmask);
    }
    child.on('error', () => {}); // later errors (e.g. signalling a gone process) are handled by callers
    const spawnedChild = child;
    exited = new Promise((resolve) => spawnedChild.once('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (cause) {
    const hint = spawnFailure(program, cause, 'spec.command[0]', request.user);
    throw new WheelhouseError('DRIVER_FAILED', `could not start ${request.what}: ${hint}`, {
      cause,
      details: request.details,
    });
  } finally {
    await out?.close();
    if (err !== out) await err?.close();
  }
  const pid = child.pid;
  if (pid === undefined || exited === undefined) throw new Error(`${request.what}: spawned without a pid`);
  child.unref();
  return { child, exited, pid, startTime: readProcStat(pid)?.startTime ?? null };
}
