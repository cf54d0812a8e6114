import { errorMessage, type Health } from '../core/index.js';
import { type RunState, StopRun } from './run-state.js';
import type { RunInput } from './runner-types.js';
import type { Deadline } from './signals.js';
import { formatDuration, sleep } from './signals.js';

export interface Watched {
  key: string;
  kind: string;
  name: string;
  app: string;
}

/** `driver.health`, with a thrown error read as `Unknown` (the wait goes on). */
export async function healthOf(input: RunInput, app: string, key: string): Promise<Health> {
  try {
    return await input.driver.health(app, key);
  } catch (err) {
    return { status: 'Unknown', message: `health check failed: ${errorMessage(err)}` };
  }
}

/**
 * Polls until every watched resource is Healthy (or Suspended, a steady state). A resource that
 * stays Degraded for `settlePolls` polls in a row fails the run; so does the deadline, naming
 * what was still not healthy and why.
 */
export async function waitForHealth(
  input: RunInput,
  state: RunState,
  watched: readonly Watched[],
  deadline: Deadline,
): Promise<Map<string, Health>> {
  const settlePolls = Math.max(1, input.settlePolls ?? 3);
  const pollMs = Math.max(1, input.pollMs ?? 1000);
  const pending = new Map(watched.map((resource) => [resource.key, resource]));
  const last = new Map<string, Health>();
  const degraded = new Map<string, number>();
  while (pending.size > 0) {
    for (const resource of [...pending.values()]) {
      state.throwIfCancelled();
      const health = await healthOf(input, resource.app, resource.key);
      const before = last.get(resource.key);
      last.set(resource.key, health);
      if (before?.status !== health.status || before?.message !== health.message) {
        state.progress('health', `${label(resource)} is ${describe(health)}`, resource.key);
      }
      if (health.status === 'Healthy' || health.status === 'Suspended') {
        pending.delete(resource.key);
      } else if (health.status === 'Degraded') {
        const count = (degraded.get(resource.key) ?? 0) + 1;
        degraded.set(resource.key, count);
        if (count >= settlePolls) {
          throw new StopRun(
            {
              reason: 'Degraded',
              message: `${label(resource)} is Degraded${health.message ? `: ${health.message}` : ''}; check its logs and fix the manifest or the workload`,
              resource: resource.key,
            },
            'requeue',
          );
        }
      } else {
        degraded.delete(resource.key);
      }
    }
    if (pending.size === 0) break;
    state.throwIfCancelled();
    if (deadline.expired()) throw timeout(input, pending, last);
    await sleep(pollMs, deadline.signal);
  }
  return last;
}

function timeout(input: RunInput, pending: Map<string, Watched>, last: Map<string, Health>): StopRun {
  const waiting = [...pending.values()];
  const parts = waiting.map((resource) => {
    const health = last.get(resource.key);
    return `${label(resource)} is ${health ? describe(health) : 'not yet checked'}`;
  });
  const first = waiting[0];
  return new StopRun(
    {
      reason: 'HealthTimeout',
      code: 'HEALTH_TIMEOUT',
      message: `not healthy within the sync timeout of ${formatDuration(input.timeoutMs)}: ${parts.join('; ')}; check the workload's logs or raise sync.timeout for the app`,
      ...(first ? { resource: first.key } : {}),
    },
    'requeue',
  );
}

function label(resource: { kind: string; name: string }): string {
  return `${resource.kind} ${resource.name}`;
}

function describe(health: Health): string {
  return health.message ? `${health.status} (${health.message})` : health.status;
}
