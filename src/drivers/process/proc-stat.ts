import { readFileSync } from 'node:fs';

/** What `/proc/<pid>/stat` says about a process. */
export interface ProcStat {
  /** Single-letter state: R, S, D, Z (zombie), T, ... */
  state: string;
  /** Process group id. */
  pgid: number;
  /** Field 22: start time in clock ticks after boot; with the pid it identifies one process. */
  startTime: string;
}

/** Reads `/proc/<pid>/stat`; undefined when the process does not exist. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (comm) is in parentheses and may itself contain spaces and parentheses.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const state = rest[0];
  const pgid = Number(rest[2]);
  const startTime = rest[19];
  if (state === undefined || startTime === undefined || !Number.isFinite(pgid)) return undefined;
  return { state, pgid, startTime };
}

/**
 * True when `pid` is alive and is the same process that was recorded (its start time matches),
 * so a pid reused by another program is never mistaken for ours. Zombies count as dead.
 */
export function isSameProcess(pid: number | null | undefined, startTime: string | null | undefined): boolean {
  if (!pid || !startTime) return false;
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === startTime;
}
