import type { Health } from '../../core/index.js';
import { type ContainerState, uptimeMs } from './container-state.js';

/** Restarts within this time of the last start count as a restart loop. */
export const LOOP_WINDOW_MS = 15_000;
/** Restarts before a container counts as looping. */
export const LOOP_RESTARTS = 2;
/** Without a healthcheck, a container is Healthy once it has kept running this long. */
export const SETTLE_MS = 1000;

export type Verdict =
  | { kind: 'ready'; health: Health }
  | { kind: 'pending'; health: Health }
  | { kind: 'failed'; health: Health; drift?: string };

/**
 * Judge one container: healthcheck status when it has one, else running. A container that ran to
 * completion (exit 0 with restart no/on-failure) is done, not broken. Pure.
 */
export function judgeContainer(c: ContainerState, now: number): Verdict {
  const uptime = uptimeMs(c, now);
  const looping = c.restartCount >= LOOP_RESTARTS && (!c.running || (uptime ?? 0) < LOOP_WINDOW_MS);
  if (looping) {
    const exit = c.running ? '' : `, last exit code ${c.exitCode}`;
    const oom = c.oomKilled ? ', killed for using too much memory' : '';
    const message = `${c.name} is restarting in a loop (${c.restartCount} restarts${exit}${oom})`;
    return { kind: 'failed', health: { status: 'Degraded', message } };
  }
  switch (c.status) {
    case 'paused':
      return { kind: 'pending', health: { status: 'Suspended', message: `${c.name} is paused` } };
    case 'created':
    case 'configured':
    case 'initialized':
      return {
        kind: 'pending',
        health: { status: 'Progressing', message: `${c.name} is created, not started` },
      };
    case 'stopping':
      return { kind: 'pending', health: { status: 'Progressing', message: `${c.name} is stopping` } };
    case 'removing':
      return {
        kind: 'failed',
        health: { status: 'Missing', message: `${c.name} is being removed` },
        drift: 'removing',
      };
    default:
      break;
  }
  if (c.running || c.status === 'restarting') {
    if (c.status === 'restarting') {
      return {
        kind: 'pending',
        health: { status: 'Progressing', message: `${c.name} is restarting (exit code ${c.exitCode})` },
      };
    }
    if (c.health) {
      if (c.health.status === 'healthy') return { kind: 'ready', health: { status: 'Healthy' } };
      if (c.health.status === 'unhealthy') {
        const output = c.health.lastOutput ? `: ${c.health.lastOutput}` : '';
        return {
          kind: 'failed',
          health: {
            status: 'Degraded',
            message: `${c.name} healthcheck failing (${c.health.failingStreak} in a row)${output}`,
          },
        };
      }
      return {
        kind: 'pending',
        health: { status: 'Progressing', message: `${c.name} healthcheck starting` },
      };
    }
    if ((uptime ?? SETTLE_MS) < SETTLE_MS) {
      return { kind: 'pending', health: { status: 'Progressing', message: `${c.name} just started` } };
    }
    return { kind: 'ready', health: { status: 'Healthy' } };
  }
  // Not running: exited, stopped or dead.
  const completes =
    c.exitCode === 0 && !c.oomKilled && (c.restartPolicy === 'no' || c.restartPolicy === 'on-failure');
  if (completes && c.status !== 'dead') {
    return { kind: 'ready', health: { status: 'Healthy', message: `${c.name} ran to completion` } };
  }
  const why = c.oomKilled ? 'was killed for using too much memory' : `exited with code ${c.exitCode}`;
  return {
    kind: 'failed',
    health: { status: 'Degraded', message: `${c.name} ${why}` },
    drift: `container ${c.name} is not running (${why})`,
  };
}
