import type { Health, ResourceNode } from '../../core/index.js';
import { shortSha } from '../../util/index.js';
import { describeExit } from './describe.js';
import type { Replica } from './replica.js';
import type { JobState } from './state-types.js';

/** One row of a Process's tree: a replica with its pid, start, restarts, last exit and probe. */
export function replicaNode(replica: Replica, health: Health): ResourceNode {
  const { record } = replica;
  const probe = replica.lastProbe;
  return {
    kind: 'Replica',
    name: `replica-${record.index}`,
    health,
    ...(replica.running && record.pid !== null ? { pid: record.pid } : {}),
    startedAt: record.startedAt,
    restarts: record.restarts,
    ...(record.lastExit ? { lastExit: describeExit(record.lastExit) } : {}),
    ...(probe ? { probe } : {}),
    children: [],
  };
}

/**
 * A Job's runs as tree rows: the run in progress (if any) and the last finished one, named by the
 * revision they ran for.
 */
export function jobRunNodes(state: JobState, runningNow: boolean): ResourceNode[] {
  const nodes: ResourceNode[] = [];
  const last = state.lastRun;
  if (last && !last.finishedAt && runningNow) {
    nodes.push({
      kind: 'Run',
      name: `at ${shortSha(last.revision)}`,
      health: { status: 'Progressing', message: 'running' },
      ...(state.running ? { pid: state.running.pid } : {}),
      startedAt: last.startedAt,
      children: [],
    });
    return nodes;
  }
  if (last) {
    const exit = last.timedOut
      ? 'timed out'
      : describeExit({ code: last.exitCode ?? null, signal: last.signal ?? null, at: last.finishedAt ?? '' });
    nodes.push({
      kind: 'Run',
      name: `at ${shortSha(last.revision)}`,
      health: last.succeeded
        ? { status: 'Healthy', message: `succeeded ${last.finishedAt ?? ''}`.trim() }
        : { status: 'Degraded', message: `failed: ${exit}` },
      startedAt: last.startedAt,
      ...(last.finishedAt ? { lastExit: exit } : {}),
      children: [],
    });
  }
  return nodes;
}
