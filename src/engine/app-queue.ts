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
}

const priority: Record<SyncTrigger, number> = { manual: 3, webhook: 2, retry: 1, auto: 1, 'self-heal': 0 };

interface Pending {
  id: string;
  request: OperationRequest;
  waiters: { resolve: (record: SyncRecord) => void; reject: (err: unknown) => void }[];
}

export interface AppQueue {
  /** Run now, or after the running operation; requests that arrive meanwhile coalesce into one. */
  enqueue(request: OperationRequest): { operationId: string; done: Promise<SyncRecord> };
  readonly busy: boolean;
  /** Resolves when nothing runs or waits. */
  idle(): Promise<void>;
}

/**
 * One operation per app at a time. While one runs, later requests share a single pending slot:
 * the highest-priority request's parameters win (a person's sync beats a self-heal), and every
 * caller gets the record of the operation that served them.
 */
export function createAppQueue(
  run: (id: string, request: OperationRequest) => Promise<SyncRecord>,
): AppQueue {
  let running: Promise<void> | undefined;
  let pending: Pending | undefined;
  const idleWaiters: (() => void)[] = [];

  const drain = (): void => {
    const next = pending;
    pending = undefined;
    if (!next) {
      running = undefined;
      for (const resolve of idleWaiters.splice(0)) resolve();
      return;
    }
    running = run(next.id, next.request).then(
      (record) => {
        for (const w of next.waiters) w.resolve(record);
      },
      (err: unknown) => {
        for (const w of next.waiters) w.reject(err);
      },
    );
    void running.then(drain);
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
    get busy() {
      return running !== undefined;
    },
    idle() {
      if (!running) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
