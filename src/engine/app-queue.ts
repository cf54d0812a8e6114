import type { SyncRecord, SyncTrigger } from '../core/index.js';
import { newId } from './ids.js';

/** A request for one operation on one app. */
export interface OperationRequest {
  trigger: SyncTrigger;
  actor: string;
  /** Explicit revision (pins); absent follows the source ref. */
  revision?: string;
  requestId?: string;
  /** Resume a history record left `running` by a crash, under the same id. */
  resumeId?: string;
  /** The deny window a person's forced sync runs inside (written into the sync's messages). */
  forcedWindow?: string;
}

const priority: Record<SyncTrigger, number> = { manual: 3, webhook: 2, retry: 1, auto: 1, 'self-heal': 0 };

interface Pending {
  id: string;
  request: OperationRequest;
  waiters: { resolve: (record: SyncRecord) => void; reject: (err: unknown) => void }[];
}

interface PendingCheck {
  run: () => Promise<void>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

export interface AppQueue {
  /** Run now, or after the running operation or check; requests that arrive meanwhile coalesce into one. */
  enqueue(request: OperationRequest): { operationId: string; done: Promise<SyncRecord> };
  /**
   * Run a check of the app (it reads and writes the app's runtime state) with nothing else running
   * on the app. Skipped while an operation runs or waits: the operation refreshes the status when
   * it ends. Checks asked for while one runs coalesce into one more check after it.
   */
  check(run: () => Promise<void>): Promise<void>;
  /** An operation runs or waits. */
  readonly busy: boolean;
  /** Resolves when nothing runs or waits. */
  idle(): Promise<void>;
}

/**
 * One operation or check per app at a time, so the app's runtime state has one writer. While one
 * runs, later operation requests share a single pending slot: the highest-priority request's
 * parameters win (a person's sync beats a self-heal), and every caller gets the record of the
 * operation that served them. A waiting operation goes before a waiting check.
 */
export function createAppQueue(
  run: (id: string, request: OperationRequest) => Promise<SyncRecord>,
): AppQueue {
  let running: { kind: 'operation' | 'check'; done: Promise<void> } | undefined;
  let pending: Pending | undefined;
  let pendingCheck: PendingCheck | undefined;
  const idleWaiters: (() => void)[] = [];

  const skipCheck = (): void => {
    for (const w of pendingCheck?.waiters.splice(0) ?? []) w.resolve();
    pendingCheck = undefined;
  };

  const drain = (): void => {
    const next = pending;
    pending = undefined;
    if (next) {
      skipCheck();
      const done = run(next.id, next.request).then(
        (record) => {
          for (const w of next.waiters) w.resolve(record);
        },
        (err: unknown) => {
          for (const w of next.waiters) w.reject(err);
        },
      );
      running = { kind: 'operation', done };
      void done.then(drain);
      return;
    }
    const check = pendingCheck;
    pendingCheck = undefined;
    if (check) {
      const done = check.run().then(
        () => {
          for (const w of check.waiters) w.resolve();
        },
        (err: unknown) => {
          for (const w of check.waiters) w.reject(err);
        },
      );
      running = { kind: 'check', done };
      void done.then(drain);
      return;
    }
    running = undefined;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  return {
    enqueue(request) {
      let slot = pending;
      if (!slot) {
        slot = { id: request.resumeId ?? newId('sync'), request, waiters: [] };
        pending = slot;
      } else if (priority[request.trigger] >= priority[slot.request.trigger] && !slot.request.resumeId) {
        slot.request = request;
      }
      const current = slot;
      const done = new Promise<SyncRecord>((resolve, reject) => current.waiters.push({ resolve, reject }));
      if (!running) drain();
      return { operationId: current.id, done };
    },
    check(check) {
      if (running?.kind === 'operation' || pending) return Promise.resolve();
      const slot: PendingCheck = pendingCheck ?? { run: check, waiters: [] };
      slot.run = check;
      pendingCheck = slot;
      const done = new Promise<void>((resolve, reject) => slot.waiters.push({ resolve, reject }));
      if (!running) drain();
      return done;
    },
    get busy() {
      return running?.kind === 'operation' || pending !== undefined;
    },
    idle() {
      if (!running) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
