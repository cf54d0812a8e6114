import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Which process on which machine: a pid alone is reused, a pid with its start time is not. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Clock ticks since boot (`/proc/<pid>/stat`, field 22); absent where there is no /proc. */
  startTime?: string;
}

/**
 * The fields of `/proc/<pid>/stat` after the command name (which may hold spaces and
 * parentheses): index 0 is field 3 (the state), so field N is at index N - 3. Undefined where the
 * process, or /proc, does not exist.
 */
export function procStatFields(pid: number | 'self'): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = stat.lastIndexOf(')');
  return close < 0 ? undefined : stat.slice(close + 2).split(' ');
}

/** Field 22 of `/proc/<pid>/stat`: the start time in clock ticks after boot. */
export function processStartTime(pid: number): string | undefined {
  return procStatFields(pid)?.[19];
}

export function currentProcess(): ProcessIdentity {
  const startTime = processStartTime(process.pid);
  return { host: hostname(), pid: process.pid, ...(startTime ? { startTime } : {}) };
}

/**
 * Whether the process is certainly gone: on this machine, not running, or its pid now belongs to
 * a process started at another time. A process on another machine is never known to be gone.
 */
export function processGone(who: ProcessIdentity): boolean {
  if (who.host !== hostname()) return false;
  try {
    process.kill(who.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return true;
  }
  const startTime = processStartTime(who.pid);
  return who.startTime !== undefined && startTime !== undefined && startTime !== who.startTime;
}
