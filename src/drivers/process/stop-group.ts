import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/index.js';
import { groupMembers } from './proc-stat.js';

/** Exit checks start after 5 ms and back off to every 50 ms: most workloads exit within 20 ms. */
const FIRST_POLL_MS = 5;
const POLL_MS = 50;
const KILL_WAIT_MS = 30_000;

export interface StopRequest {
  pid: number;
  startTime: string | null;
  signal: NodeJS.Signals;
  timeoutMs: number;
  /** For logs: `replica 0 of Process shop/web`. */
  what: string;
  log: Logger;
}

/**
 * Sends `signal` to the process group, waits up to `timeoutMs` for every process in it to exit
 * (the leader and whatever it started: a leader that exits leaves its children behind otherwise),
 * then sends SIGKILL to the group. Only signals the recorded group (leader pid plus start time),
 * never one whose leader pid was reused. Resolves with how it ended.
 */
export async function stopGroup(request: StopRequest): Promise<'not-running' | 'stopped' | 'killed'> {
  const { pid, startTime } = request;
  const alive = () => groupMembers(pid, startTime).length > 0;
  if (!alive()) return 'not-running';
  signalGroup(pid, request.signal);
  if (await waitForExit(alive, request.timeoutMs)) return 'stopped';
  request.log.warn(
    { pid, signal: request.signal, timeoutMs: request.timeoutMs },
    `${request.what} (or a process it started) did not exit within ${request.timeoutMs / 1000}s after ${request.signal}; sending SIGKILL`,
  );
  if (alive()) signalGroup(pid, 'SIGKILL');
  if (await waitForExit(alive, KILL_WAIT_MS)) return 'killed';
  throw new Error(`${request.what} (pid ${pid}) is still running after SIGKILL`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') {
      // Not a group leader (should not happen for what we spawn): signal the process itself.
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
      return;
    }
    throw err;
  }
}

async function waitForExit(alive: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let wait = FIRST_POLL_MS;
  for (;;) {
    if (!alive()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
    wait = Math.min(wait * 2, POLL_MS);
  }
}
