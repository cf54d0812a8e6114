import type { ResourceChange } from '../core/index.js';
import { backoffDelay, DEFAULT_BACKOFF, noRedaction } from '../util/index.js';
import type { RunFailure, RunInput, RunOutcome, RunStep } from './runner-types.js';

/** Thrown inside the runner to stop a run; never escapes `runPlan`. */
export class StopRun extends Error {
  constructor(
    readonly failure: RunFailure,
    readonly next: 'requeue' | 'stalled' | 'cancelled',
  ) {
    super(failure.message);
    this.name = 'StopRun';
  }
}

/** What a run has done so far, and its voice (messages, progress), with redaction applied. */
export class RunState {
  readonly applied: ResourceChange[] = [];
  readonly messages: string[] = [];
  readonly facts: Record<string, Record<string, unknown>> = {};
  private readonly redact;

  constructor(private readonly input: RunInput) {
    this.redact = input.redact ?? noRedaction;
  }

  progress(step: RunStep, message: string, key?: string): void {
    if (!this.input.onProgress) return;
    try {
      this.input.onProgress(step, this.redact(message), key);
    } catch {
      // A failing progress listener must not fail the sync; the run's result still reports.
    }
  }

  redacted(text: string): string {
    return this.redact(text);
  }

  note(message: string): void {
    this.messages.push(this.redact(message));
  }

  cancelled(): boolean {
    return this.input.signal?.aborted === true;
  }

  throwIfCancelled(): void {
    if (this.cancelled()) {
      throw new StopRun(
        { reason: 'Cancelled', message: 'the sync was cancelled (the engine is stopping)' },
        'cancelled',
      );
    }
  }

  /** Delay before retry number `attempt` of one step. */
  retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.input.backoff ?? DEFAULT_BACKOFF, this.input.random);
  }

  outcomeFor(stop: StopRun | undefined): RunOutcome {
    if (!stop) return { kind: 'ready' };
    if (stop.next === 'stalled') return { kind: 'stalled', reason: stop.failure.reason };
    if (stop.next === 'cancelled') return { kind: 'requeue', afterMs: 0, reason: stop.failure.reason };
    const attempt = (this.input.attempt ?? 0) + 1;
    return { kind: 'requeue', afterMs: this.retryDelay(attempt), reason: stop.failure.reason };
  }
}
