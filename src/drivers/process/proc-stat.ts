import { readdirSync } from 'node:fs';
import { procStatFields } from '../../util/index.js';

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
  const rest = procStatFields(pid);
  if (!rest) return undefined;
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

/**
 * Live processes of the group a recorded leader (pid plus start time) started, leader included
 * while it lives. A pid stays reserved while any process has it as its group id, so members found
 * after the leader died are its own, even when the leader exited too fast for its start time to
 * be recorded (null); when a process with the leader's pid runs with another start time (or an
 * unknown one), the pid may have been reused and none are returned.
 */
export function groupMembers(pgid: number, leaderStartTime: string | null): number[] {
  if (!pgid) return [];
  const leader = readProcStat(pgid);
  if (leader) {
    const reused = leaderStartTime === null ? leader.state !== 'Z' : leader.startTime !== leaderStartTime;
    if (reused) return [];
  }
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readProcStat(pid);
    if (stat && stat.pgid === pgid && stat.state !== 'Z') out.push(pid);
  }
  return out;
}
