import {
  type ApplyContext,
  type ApplyOutcome,
  type DesiredResource,
  type ErrorCode,
  errorMessage,
  isWheelhouseError,
  type LiveResource,
  type WheelhouseError,
} from '../core/index.js';
import { aggregateHealth, isHealthIgnored, type ResourceHealth } from '../health/index.js';
import { describePlan } from './plan.js';
import type { ApplyStep, PlanStep, RemoveStep } from './plan-types.js';
import { RunState, StopRun } from './run-state.js';
import type { RunInput, RunReason, RunResult, RunStep } from './runner-types.js';
import { type Deadline, formatDuration, openDeadline, sleep, startDeadline } from './signals.js';
import { healthOf, waitForHealth } from './wait-health.js';

/** Errors no retry can fix: the spec or the input is wrong, or a hook failed. */
const PERMANENT: readonly ErrorCode[] = [
  'MANIFEST_INVALID',
  'INPUT_REFUSED',
  'CONFIG_INVALID',
  'HOOK_FAILED',
  // Another replica reconciles the app now (fencing): retrying would be refused again.
  'LEASE_LOST',
];

/**
 * Refusals that the next attempt of this sync would meet again (a 403: the permission is granted
 * outside Git, by someone else, at some later time): not retried within the sync, but requeued
 * with the app's backoff rather than stalled, so the sync goes through once the grant lands.
 */
const NOT_RETRIED_NOW: readonly ErrorCode[] = ['FORBIDDEN'];

/**
 * Carries out a plan against a driver: PreSync hooks (a failure stops the sync before anything
 * else is touched), then each wave of resources (apply, then wait for their health, bounded by
 * `timeoutMs`), PostSync hooks, and prune. A failed apply or remove is retried with exponential
 * backoff and jitter up to `retries` times. Never throws for a resource failure: the result says
 * what was applied, what failed and why, the final health, and what to do next (`outcome`).
 */
export async function runPlan(input: RunInput): Promise<RunResult> {
  const state = new RunState(input);
  let stop: StopRun | undefined;
  try {
    await execute(input, state);
  } catch (err) {
    stop =
      err instanceof StopRun
        ? err
        : new StopRun(
            { reason: 'Internal', message: `the sync failed unexpectedly: ${errorMessage(err)}` },
            'requeue',
          );
  }
  if (stop) state.note(stop.failure.message);
  const failure = stop ? { ...stop.failure, message: state.redacted(stop.failure.message) } : undefined;
  const resources = await finalHealth(input, state);
  const health = aggregateHealth(resources);
  const result: RunResult = {
    result: stop === undefined ? 'succeeded' : stop.next === 'cancelled' ? 'cancelled' : 'failed',
    outcome: state.outcomeFor(stop),
    applied: state.applied,
    messages: state.messages,
    facts: state.facts,
    health,
    resources,
  };
  if (failure) result.failure = failure;
  state.progress('done', failure ? `sync ${result.result}: ${failure.message}` : summary(result));
  if (!stop) state.note(summary(result));
  return result;
}

async function execute(input: RunInput, state: RunState): Promise<void> {
  const { plan } = input;
  state.progress('plan', describePlan(plan));
  if (plan.refused) {
    throw new StopRun(
      { reason: 'EmptyRender', code: 'INPUT_REFUSED', message: plan.refused.message },
      'stalled',
    );
  }
  state.throwIfCancelled();
  for (const step of phase(plan.steps, 'PreSync')) await runHook(input, state, step, 'presync');

  const sync = phase(plan.steps, 'Sync');
  if (sync.length > 0) {
    const deadline = startDeadline(input.timeoutMs, input.signal);
    try {
      for (const wave of byWave(sync)) {
        for (const step of wave) await applyStep(input, state, step, deadline, 'apply');
        const watched = wave.filter((step) => !isHealthIgnored(step.resource)).map(watchedOf);
        if (watched.length > 0) await waitForHealth(input, state, watched, deadline);
      }
    } finally {
      deadline.clear();
    }
  }

  for (const step of phase(plan.steps, 'PostSync')) await runHook(input, state, step, 'postsync');

  const removals = plan.steps.filter((step): step is RemoveStep => step.action === 'remove');
  if (removals.length > 0) {
    const deadline = startDeadline(input.timeoutMs, input.signal);
    try {
      for (const step of removals) await removeStep(input, state, step, deadline);
    } finally {
      deadline.clear();
    }
  }
}

async function runHook(input: RunInput, state: RunState, step: ApplyStep, progress: RunStep): Promise<void> {
  const what = `${step.phase} ${step.kind} ${step.name}`;
  let outcome: ApplyOutcome;
  try {
    // Hooks carry their own timeout (the driver enforces it); only cancelling the sync stops them here.
    outcome = await applyStep(input, state, step, openDeadline(input.signal), progress);
  } catch (err) {
    if (err instanceof HookFailure) {
      // The hook ran and failed: it belongs to what the sync did.
      state.applied.push(step.change);
      throw hookFailed(step, await logTailOf(input, step, err.logTail), err.why);
    }
    throw err;
  }
  if (outcome.hookResult) {
    if (!outcome.hookResult.succeeded) {
      throw hookFailed(step, await logTailOf(input, step, outcome.hookResult.logTail));
    }
  } else {
    // A driver that reports hook completion through health instead of the outcome.
    const deadline = startDeadline(input.timeoutMs, input.signal);
    try {
      await waitForHealth(input, state, [watchedOf(step)], deadline);
    } catch (err) {
      if (err instanceof StopRun && err.failure.reason !== 'Cancelled') {
        throw hookFailed(step, await logTailOf(input, step, []), err.failure.message);
      }
      throw err;
    } finally {
      deadline.clear();
    }
  }
  state.progress(progress, `${what} succeeded`, step.key);
  state.note(`${what} succeeded`);
}

/** A hook the driver reported as failed by throwing HOOK_FAILED; `runHook` adds its log tail. */
class HookFailure extends Error {
  constructor(
    readonly why: string,
    readonly logTail: readonly string[],
  ) {
    super(why);
  }
}

const LOG_TAIL_LINES = 20;

/** The hook's log tail as reported, or else its last lines read from the driver. */
async function logTailOf(input: RunInput, step: ApplyStep, reported: readonly string[]): Promise<string[]> {
  if (reported.length > 0) return [...reported];
  const signal = AbortSignal.timeout(10_000);
  const lines: string[] = [];
  try {
    const logs = input.driver.logs(step.resource.app, step.key, {
      tail: LOG_TAIL_LINES,
      follow: false,
      signal,
    });
    for await (const line of logs) {
      lines.push(line.text);
      if (signal.aborted) break;
    }
  } catch {
    // No logs to show is not a reason to hide the failure itself.
  }
  return lines.slice(-LOG_TAIL_LINES);
}

function hookFailed(step: ApplyStep, logTail: readonly string[], why?: string): StopRun {
  const tail =
    logTail.length > 0 ? `; last log lines:\n${logTail.map((line) => `  ${line}`).join('\n')}` : '';
  const reason = why ? ` (${why})` : '';
  const skipped = step.phase === 'PreSync' ? '; nothing else was changed' : '';
  return new StopRun(
    {
      reason: 'HookFailed',
      code: 'HOOK_FAILED',
      resource: step.key,
      message: `${step.phase} ${step.kind} ${step.name} failed${reason}${skipped}; fix it in Git and sync again${tail}`,
    },
    'stalled',
  );
}

async function applyStep(
  input: RunInput,
  state: RunState,
  step: ApplyStep,
  deadline: Deadline,
  progress: RunStep,
): Promise<ApplyOutcome> {
  const verb = step.change.action === 'created' ? 'creating' : step.resource.hook ? 'running' : 'updating';
  state.progress(progress, `${verb} ${step.kind} ${step.name}`, step.key);
  const outcome = await withRetries(input, state, step, deadline, progress, (ctx) =>
    input.driver.apply(step.resource, ctx),
  );
  state.applied.push(step.change);
  if (outcome.facts) state.facts[step.key] = outcome.facts;
  return outcome;
}

async function removeStep(
  input: RunInput,
  state: RunState,
  step: RemoveStep,
  deadline: Deadline,
): Promise<void> {
  state.progress('prune', `removing ${step.kind} ${step.name}`, step.key);
  await withRetries(input, state, step, deadline, 'prune', (ctx) => input.driver.remove(step.resource, ctx));
  state.applied.push(step.change);
}

async function withRetries<T>(
  input: RunInput,
  state: RunState,
  step: PlanStep,
  deadline: Deadline,
  progress: RunStep,
  action: (ctx: ApplyContext) => Promise<T>,
): Promise<T> {
  const retries = Math.max(0, Math.floor(input.retries));
  const verb = step.action === 'remove' ? 'removing' : 'applying';
  const failReason: RunReason = step.action === 'remove' ? 'PruneFailed' : 'ApplyFailed';
  const timedOut = (err: unknown) =>
    new StopRun(
      {
        reason: 'HealthTimeout',
        code: 'HEALTH_TIMEOUT',
        resource: step.key,
        message: `${verb} ${step.kind} ${step.name} did not finish within the sync timeout of ${formatDuration(input.timeoutMs)}: ${errorMessage(err)}; raise sync.timeout for the app or check the target`,
      },
      'requeue',
    );
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    state.throwIfCancelled();
    if (attempt > 0 && deadline.expired()) throw timedOut(lastError);
    try {
      return await action(contextFor(input, state, step, deadline.signal, progress));
    } catch (err) {
      lastError = err;
      state.throwIfCancelled();
      if (deadline.expired()) throw timedOut(err);
      if (isWheelhouseError(err) && PERMANENT.includes(err.code)) throw permanent(step, err, verb);
      if (isWheelhouseError(err) && NOT_RETRIED_NOW.includes(err.code)) {
        throw new StopRun(
          {
            reason: failReason,
            code: err.code,
            resource: step.key,
            message: `${verb} ${step.kind} ${step.name} was refused: ${err.message}; not retried at once, the app is retried later`,
          },
          'requeue',
        );
      }
      const message = `${verb} ${step.kind} ${step.name} failed (attempt ${attempt + 1} of ${retries + 1}): ${errorMessage(err)}`;
      if (attempt >= retries) {
        throw new StopRun(
          {
            reason: failReason,
            resource: step.key,
            message: `${message}; giving up for now, the app is retried later`,
            ...(isWheelhouseError(err) ? { code: err.code } : { code: 'DRIVER_FAILED' as const }),
          },
          'requeue',
        );
      }
      const delay = state.retryDelay(attempt + 1);
      state.note(`${message}; retrying in ${formatDuration(delay)}`);
      state.progress(progress, `${message}; retrying in ${formatDuration(delay)}`, step.key);
      await sleep(delay, deadline.signal);
    }
  }
}

function permanent(step: PlanStep, err: WheelhouseError, verb: string): StopRun | HookFailure {
  if (err.code === 'HOOK_FAILED' && step.action === 'apply' && step.resource.hook !== undefined) {
    const tail = err.details.logTail;
    const lines = Array.isArray(tail) ? tail.filter((line): line is string => typeof line === 'string') : [];
    return new HookFailure(err.message, lines);
  }
  return new StopRun(
    {
      reason: 'InvalidSpec',
      code: err.code,
      resource: step.key,
      message: `${verb} ${step.kind} ${step.name} was refused: ${err.message}`,
    },
    'stalled',
  );
}

function contextFor(
  input: RunInput,
  state: RunState,
  step: PlanStep,
  signal: AbortSignal,
  progress: RunStep,
): ApplyContext {
  const resource: DesiredResource | LiveResource = step.resource;
  const base = typeof input.context === 'function' ? input.context(resource) : input.context;
  const baseProgress = base.progress;
  return {
    ...base,
    signal: base.signal ? AbortSignal.any([signal, base.signal]) : signal,
    progress: (message) => {
      baseProgress?.(message);
      state.progress(progress, `${step.kind} ${step.name}: ${message}`, step.key);
    },
  };
}

async function finalHealth(input: RunInput, state: RunState): Promise<ResourceHealth[]> {
  const out: ResourceHealth[] = [];
  for (const resource of input.plan.desired) {
    if (resource.hook !== undefined) continue;
    out.push({
      key: resource.key,
      kind: resource.kind,
      name: resource.metadata.name,
      health: state.cancelled()
        ? { status: 'Unknown', message: 'the sync was cancelled before health was checked' }
        : await healthOf(input, resource.app, resource.key),
      annotations: resource.metadata.annotations,
    });
  }
  return out;
}

function phase(steps: readonly PlanStep[], name: ApplyStep['phase']): ApplyStep[] {
  return steps.filter((step): step is ApplyStep => step.action === 'apply' && step.phase === name);
}

/** Consecutive runs of one wave (the plan already ordered the steps). */
function byWave(steps: readonly ApplyStep[]): ApplyStep[][] {
  const waves: ApplyStep[][] = [];
  for (const step of steps) {
    const current = waves[waves.length - 1];
    if (current && current[0]?.wave === step.wave) current.push(step);
    else waves.push([step]);
  }
  return waves;
}

function watchedOf(step: ApplyStep) {
  return { key: step.key, kind: step.kind, name: step.name, app: step.resource.app };
}

function summary(result: RunResult): string {
  const count = (action: string) => result.applied.filter((change) => change.action === action).length;
  const applied = count('created') + count('configured');
  return `synced: ${applied} applied, ${count('deleted')} pruned; app is ${result.health.status}`;
}
