/** Abortable waiting and deadlines for the runner. */

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface Deadline {
  /** Aborts when the parent aborts or the time is up. */
  signal: AbortSignal;
  /** True once the time is up (not merely because the parent aborted). */
  expired(): boolean;
  clear(): void;
}

/** setTimeout's limit; a longer bound is as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
  if (!Number.isFinite(ms) || ms >= MAX_TIMER_MS) return openDeadline(parent);
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(new Error(`deadline of ${ms} ms passed`)), Math.max(0, ms));
  return {
    signal: parent ? AbortSignal.any([parent, own.signal]) : own.signal,
    expired: () => own.signal.aborted,
    clear: () => clearTimeout(timer),
  };
}

/** A deadline that never expires: only the parent (the sync's signal) aborts it. */
export function openDeadline(parent?: AbortSignal): Deadline {
  return { signal: parent ?? new AbortController().signal, expired: () => false, clear: () => {} };
}

/** "90s", "2m 5s", "250ms": durations in messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
}
