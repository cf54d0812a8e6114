import type {
  ApplyContext,
  DesiredResource,
  Driver,
  ErrorCode,
  Health,
  LiveResource,
  ResourceChange,
} from '../core/index.js';
import type { ResourceHealth } from '../health/index.js';
import type { BackoffOptions, Redactor } from '../util/index.js';
import type { Plan } from './plan-types.js';

/**
 * What the engine supplies for each resource's ApplyContext. The runner adds the abort signal
 * (the sync's signal plus its deadline) and routes `progress` to `onProgress`; a `signal` or
 * `progress` given here is honoured as well.
 */
export type BaseApplyContext = Omit<ApplyContext, 'signal' | 'progress'> & {
  signal?: AbortSignal;
  progress?: (message: string) => void;
};

export type ContextFactory = (resource: DesiredResource | LiveResource) => BaseApplyContext;

/** Steps reported through `onProgress`, in the order a sync goes through them. */
export type RunStep = 'plan' | 'presync' | 'apply' | 'health' | 'postsync' | 'prune' | 'done';

export interface RunInput {
  plan: Plan;
  driver: Driver;
  context: BaseApplyContext | ContextFactory;
  /** Bound on the Sync phase (applies plus the wait for health), and separately on prune, ms. */
  timeoutMs: number;
  /** Retries of one failed apply or remove (thrown errors that are not permanent). */
  retries: number;
  /** Delays between retries and the requeue delay; default `DEFAULT_BACKOFF` from util. */
  backoff?: BackoffOptions;
  /** Consecutive failed syncs before this one; scales the requeue delay. Default 0. */
  attempt?: number;
  /** How often `driver.health` is polled while waiting, ms; default 1000. */
  pollMs?: number;
  /** Consecutive `Degraded` polls after which a resource counts as failed; default 3. */
  settlePolls?: number;
  onProgress?: (step: RunStep, message: string, resourceKey?: string) => void;
  /** Cancels the sync (engine stopping): the result is `cancelled`. */
  signal?: AbortSignal;
  /** Applied to every message and progress text (secrets from hook logs and errors). */
  redact?: Redactor;
  /** Source of jitter; default Math.random. */
  random?: () => number;
}

/** Typed reason of a failed or cancelled run, like a Flux condition reason. */
export type RunReason =
  | 'EmptyRender'
  | 'HookFailed'
  | 'InvalidSpec'
  | 'ApplyFailed'
  | 'HealthTimeout'
  | 'Degraded'
  | 'PruneFailed'
  | 'Cancelled'
  | 'Internal';

export interface RunFailure {
  reason: RunReason;
  message: string;
  /** Key of the resource that failed, when one did. */
  resource?: string;
  /** The error code, where the failure maps to one (for `AppState.lastError`). */
  code?: ErrorCode;
}

/**
 * What the engine does next, Flux style: `ready` (converged), `requeue` (a transient failure:
 * try again after `afterMs`), `stalled` (a permanent failure that needs a human: a hook failed,
 * a spec was refused, the render was empty). A cancelled run is `requeue` with `afterMs: 0`.
 */
export type RunOutcome =
  | { kind: 'ready' }
  | { kind: 'requeue'; afterMs: number; reason: string }
  | { kind: 'stalled'; reason: string };

export interface RunResult {
  result: 'succeeded' | 'failed' | 'cancelled';
  outcome: RunOutcome;
  /** The changes actually carried out, in order (a hook that ran and failed is included). */
  applied: ResourceChange[];
  /** Human-readable notes for history: retries, hook results and log tails, failures. */
  messages: string[];
  /** `ApplyOutcome.facts` by resource key. */
  facts: Record<string, Record<string, unknown>>;
  /** The app's health once the run settled (hooks excluded). */
  health: Health;
  /** Final health per desired resource (hooks excluded). */
  resources: ResourceHealth[];
  failure?: RunFailure;
}
