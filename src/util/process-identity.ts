import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Which process on which machine: a pid alone is reused, a pid with its start time is not. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** Clock ticks since boot (`/proc/<pid>/stat`, field 22); absent where there is no /proc. */
  startTime?: string;
}

/** Field 22 of `/proc/<pid>/stat`, counted after the command name (which may hold spaces). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
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
