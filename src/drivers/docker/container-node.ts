import type { Health, ResourceNode } from '../../core/index.js';
import type { ContainerState } from './container-state.js';

const NEVER = /^0001-01-01/;

/**
 * One row of a Container resource's tree: a replica's container with its pid, start (on this
 * machine's clock when known), restarts, last exit and last healthcheck answer. Pure.
 */
export function containerNode(c: ContainerState, health: Health): ResourceNode {
  const started =
    c.runningSince !== undefined
      ? new Date(c.runningSince).toISOString()
      : NEVER.test(c.startedAt)
        ? undefined
        : c.startedAt;
  const exitCode = c.running ? c.lastExitCode : c.status === 'created' ? undefined : c.exitCode;
  const probe = c.health ? `${c.health.status}${c.health.lastOutput ? `: ${c.health.lastOutput}` : ''}` : '';
  return {
    kind: 'Container',
    name: c.name,
    health,
    ...(c.running && c.pid > 0 ? { pid: c.pid } : {}),
    ...(started ? { startedAt: started } : {}),
    restarts: c.restartCount,
    ...(exitCode !== undefined
      ? { lastExit: `exited with code ${exitCode}${c.oomKilled ? ' (killed: out of memory)' : ''}` }
      : {}),
    ...(probe ? { probe } : {}),
    children: [],
  };
}
