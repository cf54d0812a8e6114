import type { Health } from '../../../core/index.js';
import type { KubeObject } from '../kube-object.js';
import { conditions, findCondition } from './conditions.js';
import {
  degraded,
  describe,
  type Fields,
  healthy,
  num,
  progressing,
  record,
  records,
  spec,
  status,
  str,
} from './read.js';

/**
 * Waiting reasons the kubelet will not get past without a change (a new image, a fixed config, a
 * program that stops crashing). `ErrImagePull` is the first failed pull before the back-off; it
 * counts too: the next attempt pulls the same reference.
 */
const STUCK_WAITING = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

/**
 * A Pod. Degraded as soon as a container is stuck (crash loop, image pull error, config error,
 * OOM kill), naming the container and the kubelet's reason and message; Degraded when Failed;
 * Healthy when Succeeded, or Running and Ready under `restartPolicy: Always`; Progressing
 * otherwise.
 *
 * A Pending Pod the scheduler cannot place (`PodScheduled=False`, reason `Unschedulable`) stays
 * Progressing with the scheduler's message. It is often temporary (a node being added, another
 * Pod terminating), and this check has no clock to tell "for too long": the owner's progress
 * deadline (a Deployment turns Degraded) and the engine's bounded health wait do that, and they
 * carry this message up through `related`.
 */
export function podHealth(obj: KubeObject): Health {
  const st = status(obj);
  const all = [...records(st.initContainerStatuses), ...records(st.containerStatuses)];
  for (const container of all) {
    const stuck = stuckContainer(container);
    if (stuck !== undefined) return degraded(obj, stuck);
  }

  switch (st.phase) {
    case 'Succeeded':
      return healthy(obj, 'completed');
    case 'Failed':
      return degraded(obj, failure(st, all));
    case 'Pending':
      return progressing(obj, pending(obj, all));
    case 'Running':
      return running(obj, all);
    case undefined:
      return progressing(obj, 'no phase reported yet');
    default:
      return { status: 'Unknown', message: `${describe(obj)}: ${unknownPhase(st)}` };
  }
}

function stuckContainer(container: Fields): string | undefined {
  const name = str(container.name) ?? '?';
  const state = record(container.state);
  const waiting = record(state.waiting);
  const reason = str(waiting.reason);
  if (reason !== undefined && STUCK_WAITING.has(reason)) {
    const last = lastExit(container);
    const message = str(waiting.message);
    return `container ${name}: ${reason}${last}${message === undefined ? '' : `: ${message}`}`;
  }
  const terminated = record(state.terminated);
  if (terminated.reason === 'OOMKilled') return `container ${name}: ${exitText(terminated)}`;
  return undefined;
}

/** ` (last exit: OOMKilled, exit code 137)` for a container that ran before, else ''. */
function lastExit(container: Fields): string {
  const terminated = record(record(container.lastState).terminated);
  if (Object.keys(terminated).length === 0) return '';
  return ` (last exit: ${exitText(terminated)})`;
}

function exitText(terminated: Fields): string {
  const reason = str(terminated.reason) ?? 'terminated';
  const code = num(terminated.exitCode);
  return code === undefined ? reason : `${reason}, exit code ${code}`;
}

function failure(st: Fields, containers: readonly Fields[]): string {
  const reason = str(st.reason);
  const message = str(st.message);
  if (reason !== undefined || message !== undefined) {
    return `failed: ${[reason, message].filter((part) => part !== undefined).join(': ')}`;
  }
  for (const container of containers) {
    const terminated = record(record(container.state).terminated);
    if ((num(terminated.exitCode) ?? 0) !== 0) {
      const detail = str(terminated.message);
      const name = str(container.name) ?? '?';
      return `failed: container ${name}: ${exitText(terminated)}${detail === undefined ? '' : `: ${detail}`}`;
    }
  }
  return 'failed';
}

function pending(obj: KubeObject, containers: readonly Fields[]): string {
  const scheduled = findCondition(conditions(obj), 'PodScheduled');
  if (scheduled?.status === 'False') {
    const why = scheduled.message ?? 'the scheduler has not placed it yet';
    return `not scheduled (${scheduled.reason ?? 'Pending'}): ${why}`;
  }
  for (const container of containers) {
    const reason = str(record(record(container.state).waiting).reason);
    if (reason !== undefined) return `container ${str(container.name) ?? '?'} is waiting: ${reason}`;
  }
  return 'waiting to start';
}

function running(obj: KubeObject, containers: readonly Fields[]): Health {
  const restartPolicy = str(spec(obj).restartPolicy) ?? 'Always';
  if (restartPolicy !== 'Always') return progressing(obj, `running (restartPolicy ${restartPolicy})`);
  const ready = findCondition(conditions(obj), 'Ready');
  if (ready?.status === 'True') return healthy(obj);
  const notReady = containers
    .filter((container) => container.ready !== true)
    .map((container) => str(container.name) ?? '?');
  const which = notReady.length > 0 ? `: ${notReady.join(', ')}` : '';
  return progressing(obj, `waiting for containers to be ready${which}`);
}

function unknownPhase(st: Fields): string {
  const reason = [str(st.reason), str(st.message)].filter((part) => part !== undefined).join(': ');
  const base = `phase ${String(st.phase)}`;
  return reason === '' ? base : `${base}: ${reason}`;
}
